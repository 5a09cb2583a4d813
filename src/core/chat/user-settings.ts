import type { Store } from '../storage/store.ts';

/** A person's defaults, shared by their linked accounts. */
export interface UserSettings {
  workflow?: string;
  aspect?: string;
  steps?: number;
  /** Results only to them (ephemeral on Discord, private chat on Telegram). */
  private?: boolean;
  /** An installed model file chosen per template (`/settings model:`), for its main model slot. */
  models?: Record<string, string>;
}

/**
 * Settings by owner key, with an in-memory copy of every one read or written here, so a front end can
 * answer from memory where it may not wait (a Discord deferral picks its ephemeral flag from `cached`).
 */
export class UserSettingsStore {
  readonly #store: Store<unknown>;
  readonly #cache = new Map<string, UserSettings>();
  constructor(store: Store<unknown>) {
    this.#store = store;
  }

  /** What was last read or written for the key in this process, if anything. */
  cached(key: string): UserSettings | undefined {
    return this.#cache.get(key);
  }

  async get(key: string): Promise<UserSettings> {
    const value = ((await this.#store.get(key)) as UserSettings | undefined) ?? {};
    this.#remember(key, value);
    return value;
  }

  #remember(key: string, value: UserSettings): void {
    this.#cache.delete(key);
    this.#cache.set(key, value);
    if (this.#cache.size > 50_000) this.#cache.delete(this.#cache.keys().next().value as string);
  }

  /** Forgets the given fields: they go back to the defaults (the server's template, the model's aspect…). */
  async unset(key: string, fields: readonly (keyof UserSettings)[]): Promise<UserSettings> {
    const next = { ...(await this.get(key)) };
    for (const f of fields) delete next[f];
    await this.#store.set(key, next);
    this.#remember(key, next);
    return next;
  }

  /** Saves the fields the patch sets; fields it leaves `undefined` keep their saved value. */
  async set(key: string, patch: UserSettings): Promise<UserSettings> {
    const defined = Object.entries(patch).filter(([, v]) => v !== undefined);
    const next = { ...(await this.get(key)), ...Object.fromEntries(defined) } as UserSettings;
    await this.#store.set(key, next);
    this.#remember(key, next);
    return next;
  }
}
