import type { Store } from '../storage/store.ts';

/** A person's defaults, shared by their linked accounts. */
export interface UserSettings {
  workflow?: string;
  aspect?: string;
  steps?: number;
  /** Results only to them (ephemeral on Discord, private chat on Telegram). */
  private?: boolean;
}

export class UserSettingsStore {
  readonly #store: Store<unknown>;
  constructor(store: Store<unknown>) {
    this.#store = store;
  }

  async get(key: string): Promise<UserSettings> {
    return ((await this.#store.get(key)) as UserSettings | undefined) ?? {};
  }

  /** Saves the fields the patch sets; fields it leaves `undefined` keep their saved value. */
  async set(key: string, patch: UserSettings): Promise<UserSettings> {
    const defined = Object.entries(patch).filter(([, v]) => v !== undefined);
    const next = { ...(await this.get(key)), ...Object.fromEntries(defined) } as UserSettings;
    await this.#store.set(key, next);
    return next;
  }
}
