/** One person's jobs in this process, as `redisActive` holds them in Redis. */
export interface Holding {
  running: number;
  /** Running slots claimed in Redis for this person's waiting jobs here; what `canStart` reads. */
  reserved: number;
  waiting: number;
  /** The running limit last seen for this person, for the background retry. */
  limit: number;
}

/**
 * What this process holds in Redis, kept in memory: answers the synchronous calls at once, and is what
 * every lease renewal rewrites this process's hash from.
 */
export class ActiveMirror {
  readonly #users = new Map<string, Holding>();
  readonly #community = new Map<string, number>();
  #global = 0;

  get(key: string): Holding | undefined {
    return this.#users.get(key);
  }

  /** The person's holding, created empty when missing; a positive `limit` updates their running limit. */
  user(key: string, limit: number): Holding {
    let user = this.#users.get(key);
    if (!user) {
      user = { running: 0, reserved: 0, waiting: 0, limit };
      this.#users.set(key, user);
    }
    if (limit > 0) user.limit = limit;
    return user;
  }

  /** Drops the person once they hold nothing. */
  forget(key: string): void {
    const user = this.#users.get(key);
    if (user && user.running <= 0 && user.reserved <= 0 && user.waiting <= 0) this.#users.delete(key);
  }

  /** Adds (or with a negative `by`, removes) waiting jobs to the community's and the global count. */
  addSharedWaiting(communityKey: string | undefined, by: number): void {
    this.#global += by;
    if (communityKey === undefined) return;
    const next = (this.#community.get(communityKey) ?? 0) + by;
    if (next > 0) this.#community.set(communityKey, next);
    else this.#community.delete(communityKey);
  }

  /** People with a job waiting here and no slot reserved for it, below their running limit. */
  wantingSlot(): [string, Holding][] {
    return [...this.#users].filter(([, u]) => u.waiting > u.reserved && u.running + u.reserved < u.limit);
  }

  clear(): void {
    this.#users.clear();
    this.#community.clear();
    this.#global = 0;
  }

  /** The hash fields (see `redis-active-scripts.ts`) that describe these holdings. */
  hashFields(): Record<string, number> {
    const fields: Record<string, number> = {};
    for (const [key, u] of this.#users) {
      if (u.running > 0) fields[`r:${key}`] = u.running;
      if (u.reserved > 0) fields[`s:${key}`] = u.reserved;
      if (u.waiting > 0) fields[`w:${key}`] = u.waiting;
    }
    for (const [key, n] of this.#community) fields[`c:${key}`] = n;
    if (this.#global > 0) fields.g = this.#global;
    return fields;
  }
}
