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

  async set(key: string, patch: UserSettings): Promise<UserSettings> {
    const next = { ...(await this.get(key)), ...patch };
    for (const k of Object.keys(next) as (keyof UserSettings)[]) if (next[k] === undefined) delete next[k];
    await this.#store.set(key, next);
    return next;
  }
}
