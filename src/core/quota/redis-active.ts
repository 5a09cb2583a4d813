import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ActiveHolder, ActiveStore, WaitingCap } from './active-store.ts';
import { ADMIT, COUNTS, END, ENSURE, START } from './redis-active-scripts.ts';
import { RedisRetries } from './redis-retries.ts';

export interface RedisActiveOptions {
  url: string;
  /** Key prefix (default `comfyrelay:active`); the shared job queue must be given the same one. */
  prefix?: string;
  /** How often people whose running slots were full are checked again (default 1 s). */
  pollMs?: number;
  /**
   * Whether a counted job still exists (not finished); counts of jobs that no longer do (their process
   * died between admitting and storing them) are removed by a sweep every `sweepMs` (default 60 s).
   */
  isJobActive?: (jobId: string) => Promise<boolean>;
  sweepMs?: number;
  /** Jobs counted more recently than this are never swept: they may be being stored (default 60 s). */
  sweepGraceMs?: number;
  /** Writes still failing after retries; they go on being retried. */
  onError?: (error: unknown) => void;
}

/**
 * Running and waiting jobs counted in Redis per job (layout in `redis-active-scripts.ts`), shared by
 * every process. A count belongs to its job, not to the process that admitted it: when a process dies,
 * its jobs stay counted until whichever process takes them over ends them.
 *
 * Waiting caps are checked and held in one script at admission, so processes admitting at once cannot
 * overshoot them. The engine starts a job through the shared queue's take, which checks its owner's
 * running slots in the same script; `canStart`/`start` here are synchronous and answer from the counts
 * last read (kept fresh for the people waiting in this process, and `onCanStart` fires when a slot frees).
 */
export function redisActive(options: RedisActiveOptions): ActiveStore {
  return new RedisActive(options);
}

/** A limit as the scripts take it: -1 for none. */
const limitArg = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? -1 : n);

class RedisActive implements ActiveStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #writes: RedisRetries;
  readonly #isJobActive: RedisActiveOptions['isJobActive'];
  readonly #graceMs: number;
  readonly #sweepMs: number;
  readonly #listeners: (() => void)[] = [];
  /** Running count and limit last read per person; waiting jobs admitted here per person. */
  readonly #running = new Map<string, { count: number; limit: number }>();
  readonly #waitingHere = new Map<string, number>();
  readonly #timers: NodeJS.Timeout[] = [];
  #closed = false;

  constructor(options: RedisActiveOptions) {
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: null });
    this.#redis.on('error', () => {});
    this.#prefix = options.prefix ?? 'comfyrelay:active';
    this.#writes = new RedisRetries(options.onError ?? (() => {}));
    this.#isJobActive = options.isJobActive;
    this.#graceMs = options.sweepGraceMs ?? 60_000;
    const poll = setInterval(() => void this.#poll().catch(() => {}), options.pollMs ?? 1000);
    this.#sweepMs = options.sweepMs ?? 60_000;
    const sweep = setInterval(() => void this.#sweep().catch(() => {}), this.#sweepMs);
    for (const timer of [poll, sweep]) {
      timer.unref();
      this.#timers.push(timer);
    }
  }

  async holdWaiting(
    h: ActiveHolder,
    caps: { community?: number; global?: number },
  ): Promise<WaitingCap | undefined> {
    h.job ??= randomUUID();
    const reply = (await this.#eval(ADMIT, [
      h.job,
      h.key,
      h.communityKey ?? '',
      limitArg(h.limits.waiting),
      limitArg(caps.community),
      limitArg(caps.global),
      limitArg(h.limits.running),
      Date.now(),
    ])) as number[];
    if (reply[0] === 1) return 'waiting';
    if (reply[0] === 2) return 'community';
    if (reply[0] === 3) return 'global';
    this.#seen(h, reply[1] ?? 0);
    this.#waitingHere.set(h.key, (this.#waitingHere.get(h.key) ?? 0) + 1);
    return undefined;
  }

  dropWaiting(h: ActiveHolder): void {
    this.#leftHere(h.key);
    this.#end(h);
  }

  canStart(h: ActiveHolder): boolean {
    const seen = this.#running.get(h.key);
    return !seen || seen.count < h.limits.running;
  }

  start(h: ActiveHolder): boolean {
    if (!this.canStart(h)) return false;
    this.#leftHere(h.key);
    this.#seen(h, (this.#running.get(h.key)?.count ?? 0) + 1);
    // Already running when the shared queue's take started it; forced, since the check was made there.
    if (h.job) this.#writes.run(() => this.#eval(START, [h.job!, 1]));
    return true;
  }

  stopRunning(h: ActiveHolder): void {
    const seen = this.#running.get(h.key);
    if (seen) seen.count = Math.max(0, seen.count - 1);
    this.#end(h);
  }

  restore(jobs: readonly { holder: ActiveHolder; state: 'waiting' | 'running' }[]): void {
    const args = jobs.flatMap(({ holder, state }) => {
      if (state === 'waiting')
        this.#waitingHere.set(holder.key, (this.#waitingHere.get(holder.key) ?? 0) + 1);
      holder.job ??= randomUUID();
      const s = state === 'running' ? 'r' : 'w';
      return [
        holder.job,
        holder.key,
        holder.communityKey ?? '',
        s,
        limitArg(holder.limits.running),
        Date.now(),
      ];
    });
    if (args.length > 0) this.#writes.run(() => this.#eval(ENSURE, args));
  }

  async counts(key: string): Promise<{ running: number; waiting: number }> {
    const [running = 0, waiting = 0] = (await this.#eval(COUNTS, [key])) as number[];
    return { running, waiting };
  }

  onCanStart(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#writes.drain(2000);
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #eval(script: string, args: (string | number)[]): Promise<unknown> {
    return this.#redis.eval(script, 0, this.#prefix, ...args);
  }

  #end(h: ActiveHolder): void {
    if (h.job) this.#writes.run(() => this.#eval(END, [h.job!]));
  }

  #seen(h: ActiveHolder, count: number): void {
    this.#running.set(h.key, { count, limit: h.limits.running });
  }

  #leftHere(key: string): void {
    const n = (this.#waitingHere.get(key) ?? 0) - 1;
    if (n > 0) this.#waitingHere.set(key, n);
    else this.#waitingHere.delete(key);
  }

  /** Re-reads the running counts of people waiting here whose slots were full; tells when one freed. */
  async #poll(): Promise<void> {
    if (this.#closed) return;
    const full = [...this.#waitingHere.keys()].filter((key) => {
      const seen = this.#running.get(key);
      return seen && seen.count >= seen.limit;
    });
    for (const key of this.#running.keys()) if (!this.#waitingHere.has(key)) this.#running.delete(key);
    if (full.length === 0) return;
    const reply = (await this.#eval(COUNTS, full)) as number[];
    let freed = false;
    full.forEach((key, i) => {
      const seen = this.#running.get(key);
      if (!seen) return;
      seen.count = reply[i] ?? 0;
      if (seen.count < seen.limit) freed = true;
    });
    if (freed) for (const listener of this.#listeners) listener();
  }

  /** Stops counting jobs that no longer exist (admitted by a process that died before storing them). */
  async #sweep(): Promise<void> {
    if (this.#closed || !this.#isJobActive) return;
    const lock = `${this.#prefix}:sweeping`;
    if ((await this.#redis.set(lock, '1', 'PX', Math.min(30_000, this.#sweepMs), 'NX')) !== 'OK') return;
    const ids = await this.#redis.smembers(`${this.#prefix}:jobs`);
    const stale: string[] = [];
    for (const id of ids) {
      const since = Number(await this.#redis.hget(`${this.#prefix}:job:${id}`, 't'));
      // A job being admitted right now is counted before it is stored: leave the young ones alone.
      if (Date.now() - since > this.#graceMs && !(await this.#isJobActive(id))) stale.push(id);
    }
    if (stale.length > 0) await this.#eval(END, stale);
  }
}
