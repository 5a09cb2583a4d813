/**
 * Per-key counters for what quotas do not cover, kept in this process: uploads per minute, uploads being
 * read at once (their bodies are buffered) and open event streams. Each answers "go" or how many seconds
 * until trying again makes sense, for a 429 with `Retry-After`.
 */

/** At most `limit` events per key in any `windowMs`. */
export class SlidingRate {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #seen = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts one event for `key` if allowed; otherwise the seconds until one is. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterS: number } {
    const recent = (this.#seen.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    if (recent.length >= this.#limit) {
      this.#seen.set(key, recent);
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.#seen.set(key, recent);
    if (this.#seen.size > 10_000) this.#prune(now);
    return { ok: true };
  }

  #prune(now: number): void {
    for (const [key, times] of this.#seen)
      if (times.every((t) => t <= now - this.#windowMs)) this.#seen.delete(key);
  }
}

/** Counting slots, per key or for the whole process (one key): `acquire` never waits. */
export class Slots {
  readonly #limit: number;
  readonly #held = new Map<string, number>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get limit(): number {
    return this.#limit;
  }

  /** A release function, or undefined when `key` holds every slot already. */
  acquire(key = ''): (() => void) | undefined {
    const held = this.#held.get(key) ?? 0;
    if (held >= this.#limit) return undefined;
    this.#held.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.#held.get(key) ?? 1) - 1;
      if (now <= 0) this.#held.delete(key);
      else this.#held.set(key, now);
    };
  }

  held(key = ''): number {
    return this.#held.get(key) ?? 0;
  }
}
