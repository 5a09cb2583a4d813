import type { Redis } from 'ioredis';
import type { ExpectedRequest } from '../cluster-jobs.ts';

/**
 * Requests a front end acknowledged before their job exists (a Discord interaction is answered "thinking"
 * first, then made a job), kept in one Redis hash `<prefix>:expected` (key → target and when) until their
 * job is stored, so that a process dying in between does not leave the person waiting for ever.
 */
export class ExpectedRequests {
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#key = `${prefix}:expected`;
  }

  async add(key: string, target: ExpectedRequest['target'], ttlMs: number): Promise<void> {
    const now = Date.now();
    await this.#redis.hset(this.#key, key, JSON.stringify({ target, at: now, until: now + ttlMs }));
  }

  async remove(key: string): Promise<void> {
    await this.#redis.hdel(this.#key, key);
  }

  /** Those announced more than `ms` ago; those whose time is over are dropped. */
  async olderThan(ms: number): Promise<ExpectedRequest[]> {
    const now = Date.now();
    const out: ExpectedRequest[] = [];
    for (const [key, raw] of Object.entries(await this.#redis.hgetall(this.#key))) {
      const e = JSON.parse(raw) as { target: ExpectedRequest['target']; at: number; until: number };
      if (e.until <= now) await this.#redis.hdel(this.#key, key);
      else if (now - e.at >= ms) out.push({ key, target: e.target, at: e.at });
    }
    return out;
  }
}
