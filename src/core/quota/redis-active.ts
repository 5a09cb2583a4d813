import type { ActiveHolder, ActiveStore, WaitingCap } from './active-store.ts';
import { ActiveMirror } from './redis-active-mirror.ts';
import { ADMIT, COUNTS, DELTA, RESERVE } from './redis-active-scripts.ts';
import { RedisLease } from './redis-lease.ts';

export interface RedisActiveOptions {
  url: string;
  /**
   * This process's name (the engine's `instanceId`). A restart under the same name replaces what the
   * previous run held instead of adding to it; two live processes must not share one.
   */
  instanceId?: string;
  prefix?: string;
  /** How long a process's holdings outlive its last refresh (default 15 s); refreshed every third of it. */
  leaseMs?: number;
  /** How often people waiting here without a running slot try for one freed elsewhere (default 1 s). */
  pollMs?: number;
  /** Failed background writes (they heal at the next lease refresh, which rewrites the whole hash). */
  onError?: (error: unknown) => void;
}

/**
 * Running and waiting counts shared by every process on one Redis (see `ActiveStore`; the Redis layout is
 * described in `redis-active-scripts.ts`).
 *
 * Waiting caps are checked and held in one Lua script at admission, so two processes admitting at the
 * same instant cannot overshoot. Running slots cannot be checked that way at start, because
 * `canStart()`/`started()` are synchronous (called inside the fair queue's `next(canTake)`). Instead a
 * process reserves a person's running slot in Redis ahead of time, atomically, while that person has a
 * job waiting here — at admission, when a job of theirs ends here (the slot passes straight to their next
 * job), or by retrying every `pollMs` after another process freed one. `canStart()` is true only while
 * this process holds such a reservation, and `started()` turns it into a running job without a round
 * trip. So the limit holds across processes exactly, and the price is latency, not correctness: a slot
 * freed in another process reaches a job waiting here within `pollMs` (then `onCanStart` fires so the
 * engine pumps), and a reserved slot stays with the process that reserved it until that job starts or
 * leaves, even if its backends are busy while another process's are idle.
 *
 * Writes that need no check (a job started, ended, left) update the local mirror at once and are sent
 * without waiting; checked ones (admit, reserve, the lease refresh) are sent one at a time, so the
 * refresh, which rewrites the whole hash from the mirror, never races one whose answer is still out.
 */
export function redisActive(options: RedisActiveOptions): ActiveStore {
  return new RedisActive(options);
}

class RedisActive implements ActiveStore {
  readonly #lease: RedisLease;
  readonly #onError: (error: unknown) => void;
  readonly #mirror = new ActiveMirror();
  readonly #listeners: (() => void)[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  #pollQueued = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout;

  constructor(options: RedisActiveOptions) {
    const leaseMs = options.leaseMs ?? 15_000;
    this.#lease = new RedisLease({
      url: options.url,
      prefix: options.prefix ?? 'comfyrelay:active',
      instanceId: options.instanceId ?? 'main',
      leaseMs,
    });
    this.#onError = options.onError ?? (() => {});
    // Replaces whatever a previous run under this name left, before anything else is sent.
    this.#serial(() => this.#refresh()).catch(this.#onError);
    this.#timer = setInterval(() => this.#tick(), Math.min(options.pollMs ?? 1000, leaseMs / 3));
    this.#timer.unref();
  }

  holdWaiting(
    h: ActiveHolder,
    caps: { community?: number; global?: number },
  ): Promise<WaitingCap | undefined> {
    return this.#serial(async () => {
      const args = [
        h.key,
        h.communityKey ?? '',
        h.limits.waiting,
        caps.community ?? -1,
        caps.global ?? -1,
        h.limits.running,
      ];
      let reply = await this.#lease.eval(ADMIT, args);
      if (reply[0] === -1) {
        await this.#refresh();
        reply = await this.#lease.eval(ADMIT, args);
      }
      if (reply[0] === -1) throw new Error(`quota lease of ${this.#lease.instanceId} lost in Redis`);
      if (reply[0] === 1) return 'waiting';
      if (reply[0] === 2) return 'community';
      if (reply[0] === 3) return 'global';
      const user = this.#mirror.user(h.key, h.limits.running);
      user.waiting += 1;
      user.reserved += reply[1] ?? 0;
      this.#mirror.addSharedWaiting(h.communityKey, 1);
      return undefined;
    });
  }

  dropWaiting(h: ActiveHolder): void {
    const user = this.#mirror.user(h.key, h.limits.running);
    user.waiting -= 1;
    this.#mirror.addSharedWaiting(h.communityKey, -1);
    const fields: [string, number][] = [
      [`w:${h.key}`, -1],
      ['g', -1],
    ];
    if (h.communityKey) fields.push([`c:${h.communityKey}`, -1]);
    if (user.reserved > user.waiting) {
      user.reserved -= 1;
      fields.push([`s:${h.key}`, -1]);
    }
    this.#mirror.forget(h.key);
    this.#delta(fields);
  }

  canStart(h: ActiveHolder): boolean {
    return (this.#mirror.get(h.key)?.reserved ?? 0) > 0;
  }

  start(h: ActiveHolder): boolean {
    const user = this.#mirror.get(h.key);
    if (!user || user.reserved <= 0) return false;
    user.reserved -= 1;
    user.waiting -= 1;
    user.running += 1;
    user.limit = h.limits.running;
    this.#mirror.addSharedWaiting(h.communityKey, -1);
    const fields: [string, number][] = [
      [`s:${h.key}`, -1],
      [`r:${h.key}`, 1],
      [`w:${h.key}`, -1],
      ['g', -1],
    ];
    if (h.communityKey) fields.push([`c:${h.communityKey}`, -1]);
    this.#delta(fields);
    if (user.waiting > user.reserved) this.#pollSoon();
    return true;
  }

  stopRunning(h: ActiveHolder): void {
    const user = this.#mirror.user(h.key, h.limits.running);
    user.running -= 1;
    if (user.waiting > user.reserved && user.running + user.reserved < h.limits.running) {
      // Their next job here takes the slot over; the sum in Redis does not change, so no one can slip in.
      user.reserved += 1;
      this.#delta([
        [`r:${h.key}`, -1],
        [`s:${h.key}`, 1],
      ]);
    } else {
      this.#delta([[`r:${h.key}`, -1]]);
    }
    this.#mirror.forget(h.key);
  }

  restore(jobs: readonly { holder: ActiveHolder; state: 'waiting' | 'running' }[]): void {
    this.#mirror.clear();
    for (const { holder, state } of jobs) {
      const user = this.#mirror.user(holder.key, holder.limits.running);
      if (state === 'running') {
        user.running += 1;
        continue;
      }
      user.waiting += 1;
      this.#mirror.addSharedWaiting(holder.communityKey, 1);
    }
    this.#serial(() => this.#refresh()).catch(this.#onError);
    this.#pollSoon();
  }

  async counts(key: string): Promise<{ running: number; waiting: number }> {
    const [running = 0, waiting = 0] = await this.#lease.eval(COUNTS, [key]);
    return { running, waiting };
  }

  onCanStart(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#chain;
    // Jobs still active are persisted by the engine and re-registered by `restore` at the next start.
    await this.#lease.release();
  }

  #tick(): void {
    if (this.#lease.renewalDue) this.#serial(() => this.#refresh()).catch(this.#onError);
    this.#serial(() => this.#poll()).catch(this.#onError);
  }

  #pollSoon(): void {
    if (this.#pollQueued) return;
    this.#pollQueued = true;
    setImmediate(() => {
      this.#pollQueued = false;
      this.#serial(() => this.#poll()).catch(this.#onError);
    });
  }

  /** Reserves a running slot for each person waiting here who has none and is below their limit. */
  async #poll(): Promise<void> {
    if (this.#closed) return;
    const wanted = this.#mirror.wantingSlot();
    if (wanted.length === 0) return;
    const reply = await this.#lease.eval(
      RESERVE,
      wanted.flatMap(([key, u]) => [key, u.limit]),
    );
    if (reply[0] === -1) return this.#refresh();
    let granted = false;
    wanted.forEach(([key], i) => {
      if (reply[i] !== 1) return;
      const user = this.#mirror.user(key, 0);
      user.reserved += 1;
      if (user.reserved > user.waiting) {
        // The job left while the answer was on its way.
        user.reserved -= 1;
        this.#delta([[`s:${key}`, -1]]);
        this.#mirror.forget(key);
      } else granted = true;
    });
    if (granted) for (const listener of this.#listeners) listener();
  }

  /** (Re)writes this process's whole hash from the mirror and renews the lease. Run only in `#serial`. */
  async #refresh(): Promise<void> {
    if (this.#closed) return;
    await this.#lease.renew(this.#mirror.hashFields());
  }

  /** Unchecked changes: sent at once, in order with everything else on the connection. */
  #delta(fields: [string, number][]): void {
    if (this.#closed) return;
    this.#lease
      .eval(DELTA, fields.flat())
      // Lease lost: the next refresh writes the mirror, which already has this change.
      .then((reply) => {
        if (reply[0] === -1) this.#serial(() => this.#refresh()).catch(this.#onError);
      })
      .catch(this.#onError);
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(run);
    this.#chain = next.catch(() => {});
    return next;
  }
}
