import { Redis } from 'ioredis';

/**
 * This process's hash of holdings in Redis and the lease (TTL) that keeps it counted: written whole at
 * each renewal, removed at close. Also runs the scripts of `redis-active-scripts.ts` against it.
 */
export class RedisLease {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #id: string;
  readonly #self: string;
  readonly #procs: string;
  readonly #leaseMs: number;
  #lastRenewal = 0;

  constructor(options: { url: string; prefix: string; instanceId: string; leaseMs: number }) {
    this.#client = new Redis(options.url);
    this.#prefix = options.prefix;
    this.#id = options.instanceId;
    this.#self = `${this.#prefix}:proc:${this.#id}`;
    this.#procs = `${this.#prefix}:procs`;
    this.#leaseMs = options.leaseMs;
  }

  get instanceId(): string {
    return this.#id;
  }

  /** Renewals are due every third of the lease, so two can fail before it expires. */
  get renewalDue(): boolean {
    return Date.now() - this.#lastRenewal >= this.#leaseMs / 3;
  }

  /**
   * Replaces this process's hash with `fields` (plus the `_lease` marker) and renews the lease. The
   * caller must not let a checked script's answer be outstanding meanwhile, or its change would be lost.
   */
  async renew(fields: Record<string, number>): Promise<void> {
    const started = Date.now();
    const results = await this.#client
      .multi()
      .del(this.#self)
      .hset(this.#self, { _lease: 1, ...fields })
      .pexpire(this.#self, this.#leaseMs)
      .sadd(this.#procs, this.#id)
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (failed) throw failed;
    this.#lastRenewal = started;
  }

  /** Runs one of the scripts with this process's keys; replies are arrays of integers. */
  async eval(script: string, args: (string | number)[]): Promise<number[]> {
    const reply = await this.#client.eval(script, 2, this.#procs, this.#self, this.#prefix, ...args);
    return reply as number[];
  }

  /** Deletes this process's hash and disconnects. */
  async release(): Promise<void> {
    try {
      await this.#client.multi().del(this.#self).srem(this.#procs, this.#id).exec();
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }
}
