interface Entry {
  at: number;
  ttlMs: number;
  /** Settled list (for `peek`), once the call answered. */
  ids?: ReadonlySet<number>;
  pending: Promise<ReadonlySet<number>>;
}

export interface ChatAdminsOptions {
  /** How long a fetched list is trusted; default 5 min. */
  ttlMs?: number;
  /** How long a failed fetch counts as "no admins" before trying again; default 10 s. */
  failureTtlMs?: number;
  /** Chats kept (oldest dropped first); default 5000. */
  maxChats?: number;
  now?: () => number;
}

/**
 * Group administrators per chat, from one `getChatAdministrators` call per chat per TTL, shared by
 * concurrent lookups. One call serves every member of the chat (a per-user `getChatMember` cache would
 * cost a call per person), and a warm list lets a button press be decided from memory, before the first
 * and only `answerCallbackQuery`. Staleness: a promotion or demotion shows after at most `ttlMs`; `/admin`
 * itself does not rely on this cache.
 */
export class ChatAdmins {
  readonly #fetch: (chatId: number) => Promise<readonly number[]>;
  readonly #ttlMs: number;
  readonly #failureTtlMs: number;
  readonly #maxChats: number;
  readonly #now: () => number;
  readonly #chats = new Map<number, Entry>();

  constructor(fetch: (chatId: number) => Promise<readonly number[]>, o: ChatAdminsOptions = {}) {
    this.#fetch = fetch;
    this.#ttlMs = o.ttlMs ?? 5 * 60_000;
    this.#failureTtlMs = o.failureTtlMs ?? 10_000;
    this.#maxChats = o.maxChats ?? 5000;
    this.#now = o.now ?? Date.now;
  }

  /** From memory only: true/false when the chat's list is fresh, undefined when a call would be needed. */
  peek(chatId: number, userId: number): boolean | undefined {
    const e = this.#fresh(chatId);
    return e?.ids ? e.ids.has(userId) : undefined;
  }

  /** Fetches the list in the background if it is missing or stale. */
  warm(chatId: number): void {
    void this.#entry(chatId).pending;
  }

  /** Waits at most `timeoutMs` for the list (the call goes on and fills the cache); late or failed → false. */
  async isAdmin(chatId: number, userId: number, timeoutMs = 2000): Promise<boolean> {
    const known = this.peek(chatId, userId);
    if (known !== undefined) return known;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const ids = await Promise.race([this.#entry(chatId).pending, late]).finally(() => clearTimeout(timer));
    return ids?.has(userId) ?? false;
  }

  #fresh(chatId: number): Entry | undefined {
    const e = this.#chats.get(chatId);
    return e && this.#now() - e.at < e.ttlMs ? e : undefined;
  }

  #entry(chatId: number): Entry {
    const fresh = this.#fresh(chatId);
    if (fresh) return fresh;
    const entry: Entry = { at: this.#now(), ttlMs: this.#ttlMs, pending: Promise.resolve(new Set()) };
    entry.pending = this.#fetch(chatId).then(
      (ids) => {
        entry.ids = new Set(ids);
        return entry.ids;
      },
      () => {
        entry.ttlMs = this.#failureTtlMs;
        entry.ids = new Set();
        return entry.ids;
      },
    );
    this.#chats.delete(chatId);
    this.#chats.set(chatId, entry);
    if (this.#chats.size > this.#maxChats) this.#chats.delete(this.#chats.keys().next().value as number);
    return entry;
  }
}
