import { Redis } from 'ioredis';
import type {
  BackendOffer,
  ExpectedRequest,
  QueueEntry,
  SharedEvents,
  SharedJobs,
  TakenJob,
} from '../cluster-jobs.ts';
import { type Clock, realClock } from '../engine-clock.ts';
import { ExpectedRequests } from './expected-requests.ts';
import { QueueWatch } from './queue-watch.ts';
import { ADOPT_UNKNOWN, CLAIM, HAND_OFF, ORPHANS, RENEW, SNAPSHOT, STATUS } from './lease-scripts.ts';
import * as Q from './queue-scripts.ts';

export interface RedisSharedJobsOptions {
  url: string;
  /** This process's name; unique among the processes alive on this Redis. */
  instanceId: string;
  /** Key prefix (default `comfyrelay:jobs`). */
  prefix?: string;
  /** The quota store's prefix (`redisActive`), where running slots are checked at take. */
  activePrefix?: string;
  /** How long a job's lease outlives its process's last renewal (default 15 s; renewed every third). */
  leaseMs?: number;
  /** How often taken jobs with no lease are looked for (default: half the lease, at most 2 s). */
  orphanScanMs?: number;
  /** The engine's clock, which its unprompted looks at the queue follow (leases keep Redis's time). */
  clock?: Clock;
}

const DAY_MS = 86_400_000;
const csv = (list: readonly string[]) => list.join(',');

/** The shared queue and leases in Redis (scripts and layout in `queue-scripts.ts`, `lease-scripts.ts`). */
export class RedisSharedJobs implements SharedJobs {
  readonly instanceId: string;
  readonly #redis: Redis;
  readonly #sub: Redis;
  readonly #p: string;
  readonly #activePrefix: string;
  readonly #leaseMs: number;
  readonly #scanMs: number;
  readonly #held = new Set<string>();
  readonly #expected: ExpectedRequests;
  readonly #timers: NodeJS.Timeout[] = [];
  #events: SharedEvents | undefined;
  readonly #watch: QueueWatch;
  #closed = false;

  constructor(options: RedisSharedJobsOptions) {
    this.instanceId = options.instanceId;
    this.#p = options.prefix ?? 'comfyrelay:jobs';
    this.#activePrefix = options.activePrefix ?? 'comfyrelay:active';
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#scanMs = options.orphanScanMs ?? Math.min(2000, Math.max(200, this.#leaseMs / 2));
    // Commands wait while Redis is away (a restart) instead of failing after a few reconnects.
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: null });
    this.#sub = new Redis(options.url, { maxRetriesPerRequest: null });
    for (const connection of [this.#redis, this.#sub]) connection.on('error', () => {});
    this.#expected = new ExpectedRequests(this.#redis, this.#p);
    this.#watch = new QueueWatch(
      () => this.#eval(SNAPSHOT, []) as Promise<string[]>,
      () => this.#events?.changed(),
      options.clock ?? realClock,
    );
  }

  async start(events: SharedEvents): Promise<void> {
    this.#events = events;
    this.#sub.on('message', (_channel: string, message: string) => this.#onMessage(message));
    this.#sub.on('ready', () => this.#watch.reconnected());
    await this.#sub.subscribe(`${this.#p}:events`);
    this.#every(this.#leaseMs / 3, () => this.#renew());
    this.#every(this.#scanMs, () => this.#scanOrphans());
    this.#watch.start();
    await this.#scanOrphans();
  }

  async enqueue(e: QueueEntry): Promise<void> {
    await this.#eval(Q.ENQUEUE, [e.id, ...this.#entryArgs(e)]);
  }

  async remove(jobId: string): Promise<boolean> {
    return (await this.#eval(Q.REMOVE, [jobId])) === 1;
  }

  async takeNext(
    platforms: readonly string[],
    backends: readonly BackendOffer[],
  ): Promise<TakenJob | undefined> {
    if (backends.length === 0) return undefined;
    const reply = (await this.#eval(Q.TAKE_NEXT, [
      this.instanceId,
      this.#leaseMs,
      this.#activePrefix,
      csv(platforms),
      ...backends.flatMap((b) => [b.name, b.capacity, b.weight]),
    ])) as string[];
    if (reply.length < 2) return undefined;
    const [jobId, backend] = reply as [string, string];
    this.#held.add(jobId);
    return { jobId, backend };
  }

  async takeJob(
    platforms: readonly string[],
    jobId: string,
    to: BackendOffer,
  ): Promise<TakenJob | undefined> {
    const args = [
      this.instanceId,
      this.#leaseMs,
      this.#activePrefix,
      csv(platforms),
      jobId,
      to.name,
      to.capacity,
    ];
    if (((await this.#eval(Q.TAKE_JOB, args)) as string[]).length < 2) return undefined;
    this.#held.add(jobId);
    return { jobId, backend: to.name };
  }

  async backendJobs(backends: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const name of backends) out.set(name, await this.#redis.smembers(`${this.#p}:bk:${name}`));
    return out;
  }

  async requeue(e: QueueEntry): Promise<boolean> {
    const done = (await this.#eval(Q.REQUEUE, [this.instanceId, e.id, ...this.#entryArgs(e)])) === 1;
    this.#held.delete(e.id);
    return done;
  }

  async claim(jobId: string): Promise<boolean> {
    const claimed = (await this.#eval(CLAIM, [this.instanceId, this.#leaseMs, jobId])) === 1;
    if (claimed) this.#held.add(jobId);
    return claimed;
  }

  holds(jobId: string): boolean {
    return this.#held.has(jobId);
  }

  async confirmHeld(jobId: string): Promise<boolean> {
    if (!this.#held.has(jobId)) return false;
    const lost = (await this.#eval(RENEW, [this.instanceId, this.#leaseMs, jobId])) as string[];
    if (lost.length === 0) return true;
    if (this.#held.delete(jobId)) this.#events?.leaseLost(jobId);
    return false;
  }

  async occupy(jobId: string, backend: string | undefined): Promise<void> {
    await this.#eval(backend ? Q.OCCUPY : Q.LEAVE_BACKEND, backend ? [jobId, backend] : [jobId]);
  }

  async handOff(jobId: string): Promise<void> {
    this.#held.delete(jobId);
    await this.#eval(HAND_OFF, [this.instanceId, jobId]);
  }

  async finish(jobId: string): Promise<void> {
    this.#held.delete(jobId);
    await this.#eval(Q.FINISH, [jobId]);
  }

  async requestCancel(jobId: string): Promise<void> {
    await this.#redis
      .multi()
      .set(`${this.#p}:cx:${jobId}`, '1', 'PX', DAY_MS)
      .publish(`${this.#p}:events`, `c ${jobId}`)
      .exec();
  }

  async isCancelRequested(jobId: string): Promise<boolean> {
    return (await this.#redis.exists(`${this.#p}:cx:${jobId}`)) === 1;
  }

  async patchDelivery(jobId: string, patch: Record<string, unknown>): Promise<void> {
    const key = `${this.#p}:dp:${jobId}`;
    const fields = Object.entries(patch).flatMap(([k, v]) => [k, JSON.stringify(v ?? null)]);
    if (fields.length === 0) return;
    await this.#redis
      .multi()
      .hset(key, ...fields)
      .pexpire(key, DAY_MS)
      .publish(`${this.#p}:events`, `d ${jobId}`)
      .exec();
  }

  async deliveryPatch(jobId: string): Promise<Record<string, unknown> | undefined> {
    const fields = await this.#redis.hgetall(`${this.#p}:dp:${jobId}`);
    const entries = Object.entries(fields);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, JSON.parse(v)]));
  }

  async unknown(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const status = (await this.#eval(STATUS, [...ids])) as string[];
    return ids.filter((_, i) => status[i] === '');
  }

  async adoptUnknown(jobs: readonly { id: string; platform: string }[]): Promise<void> {
    if (jobs.length > 0)
      await this.#eval(
        ADOPT_UNKNOWN,
        jobs.flatMap((j) => [j.id, j.platform]),
      );
  }

  expect(key: string, target: ExpectedRequest['target'], ttlMs: number): Promise<void> {
    return this.#expected.add(key, target, ttlMs);
  }

  settleExpected(key: string): Promise<void> {
    return this.#expected.remove(key);
  }

  expectedBefore(ms: number): Promise<ExpectedRequest[]> {
    return this.#expected.olderThan(ms);
  }

  waiting(): readonly QueueEntry[] {
    return this.#watch.view.waiting;
  }

  position(jobId: string): number | undefined {
    return this.#watch.view.position(jobId);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#watch.close();
    await Promise.all([this.#sub, this.#redis].map((c) => c.quit().catch(() => c.disconnect())));
  }

  #entryArgs(e: QueueEntry): (string | number)[] {
    return [e.owner, e.priority, e.platform, csv(e.incapable), csv(e.avoid), e.queuedAt];
  }

  #eval(script: string, args: (string | number)[]): Promise<unknown> {
    return this.#redis.eval(script, 0, this.#p, ...args);
  }

  #every(ms: number, run: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.#closed) return;
      busy = true;
      run()
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #onMessage(message: string): void {
    const events = this.#events;
    if (!events || this.#closed) return;
    const [kind = '', id = '', by = ''] = message.split(' ');
    if ((kind === 't' && by !== this.instanceId) || kind === 'r') events.taken(id, by);
    else if (kind === 'c') events.cancelRequested(id);
    else if (kind === 'd') events.deliveryPatched(id);
    else if (kind === 'o') void this.#scanOrphans().catch(() => {});
    this.#watch.heard(kind);
  }

  async #renew(): Promise<void> {
    if (this.#held.size === 0) return;
    const ids = [...this.#held];
    const lost = (await this.#eval(RENEW, [this.instanceId, this.#leaseMs, ...ids])) as string[];
    for (const id of lost) {
      if (!this.#held.delete(id)) continue;
      this.#events?.leaseLost(id);
    }
  }

  async #scanOrphans(): Promise<void> {
    const flat = (await this.#eval(ORPHANS, [])) as string[];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const [id, from, platform] = [flat[i]!, flat[i + 1]!, flat[i + 2]!];
      if (!this.#held.has(id)) this.#events?.orphan(id, from, platform);
    }
  }
}
