import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '#shared/result.ts';
import { type Admission, createAdmission, holderOf } from './admission.ts';
import { type ActiveHolder, type ActiveStore, localActive } from './active-store.ts';
import { type EffectiveQuota, resolveQuota } from './quota-policy.ts';
import { usageReport } from './quota-usage.ts';
import { refusal } from './refusal.ts';
import type { QuotaConfig, QuotaRefusal, QuotaRequester, QuotaUsage } from './types.ts';
import { WindowCache } from './window-cache.ts';
import { checkGpu, refundWindows, takeWindows } from './window-checks.ts';
import type { WindowCounterFactory } from './window-counter.ts';
import { type WindowSpec, windowSpecs } from './window-specs.ts';

export type { Admission } from './admission.ts';

/** A job that was still active when the process stopped. */
export interface ActiveJob {
  requester: QuotaRequester;
  state: 'waiting' | 'running';
  /** The job's id, by which the Redis store counts it. */
  jobId?: string;
}

export interface QuotaLedgerOptions {
  config: QuotaConfig;
  /** `localWindows({ store: storage.quota })` embedded, `redisWindows({ url })` shared. */
  windows: WindowCounterFactory;
  /**
   * Running and waiting jobs: `localActive()` (the default) counts this process only, `redisActive({ url,
   * instanceId })` every process on one Redis. The ledger closes it.
   */
  active?: ActiveStore;
  now?: () => number;
  /**
   * Bounds the window counters kept open (each local one runs a Bottleneck timer; each Redis one a
   * heartbeat and two pub/sub channels). A counter unused for `idleMs` or for its window, whichever is
   * shorter, is closed, and the least recently used are closed past `maxOpen`. Their balances stay in the
   * store or in Redis, and the next use reopens them where they were. Defaults: 10,000 and 10 minutes.
   */
  windowCache?: { maxOpen?: number; idleMs?: number };
}

/**
 * Decides whether a job may be queued, and tracks it until it ends. Checks, in order: the person's waiting
 * jobs, the community's and everyone's waiting jobs, the person's GPU-seconds, then takes one slot from
 * the person's, the community's and the global window (all or none). Running slots are checked at start.
 */
export class QuotaLedger {
  readonly #config: QuotaConfig;
  readonly #factory: WindowCounterFactory;
  readonly #now: () => number;
  readonly #active: ActiveStore;
  readonly #windows: WindowCache;
  #closed?: Promise<void>;

  constructor(options: QuotaLedgerOptions) {
    this.#config = options.config;
    this.#factory = options.windows;
    this.#now = options.now ?? Date.now;
    this.#active = options.active ?? localActive();
    this.#windows = new WindowCache({
      factory: options.windows,
      now: this.#now,
      maxOpen: options.windowCache?.maxOpen,
      idleMs: options.windowCache?.idleMs,
    });
  }

  /** Window counters open (or still closing) in this process; for tests and metrics. */
  get openWindows(): number {
    return this.#windows.size;
  }

  /**
   * `listener` runs when a person's job may have become startable because another process freed a running
   * slot (Redis mode); the engine pumps its queue then. Local changes never call it: the engine already
   * pumps after every job it ends.
   */
  onCanStart(listener: () => void): void {
    this.#active.onCanStart(listener);
  }

  async admit(
    requester: QuotaRequester,
    options: { now?: number; jobId?: string } = {},
  ): Promise<Result<Admission, QuotaRefusal>> {
    const quota = resolveQuota(this.#config, requester);
    if (quota.unlimited) return ok(this.#admission(quota, 'waiting', []));
    const jobId = options.jobId ?? randomUUID();
    const now = options.now ?? this.#now();
    const { limits, communityKey } = quota;
    const { community, global } = this.#config;

    const holder = holderOf(quota, jobId);
    // Checks the waiting caps and holds a waiting slot atomically (in this process, or across processes
    // in Redis), so concurrent admits cannot overshoot them.
    const full = await this.#active.holdWaiting(holder, {
      community: communityKey ? community?.waiting : undefined,
      global: global?.waiting,
    });
    if (full === 'waiting') return err(refusal('waiting', limits.waiting));
    if (full === 'community') return err(refusal('community', community!.waiting!, { cap: 'waiting' }));
    if (full === 'global') return err(refusal('global', global!.waiting!, { cap: 'waiting' }));
    const taken: WindowSpec[] = [];
    try {
      const refused =
        (await checkGpu(this.#windows, quota, now)) ??
        (await takeWindows(this.#windows, this.#config, quota, now, taken));
      if (refused) {
        this.#active.dropWaiting(holder);
        await refundWindows(this.#windows, taken);
        return err(refused);
      }
    } catch (error) {
      this.#active.dropWaiting(holder);
      await refundWindows(this.#windows, taken);
      throw error;
    }
    return ok(this.#admission(quota, 'waiting', taken, jobId));
  }

  /**
   * After a restart: re-counts running and waiting jobs from the engine's active jobs and returns their
   * admissions, in the same order. Window consumption is not touched (it was persisted when admitted).
   */
  restore(jobs: readonly ActiveJob[]): Admission[] {
    const counted: { holder: ActiveHolder; state: 'waiting' | 'running' }[] = [];
    const admissions = jobs.map(({ requester, state, jobId }) => {
      const quota = resolveQuota(this.#config, requester);
      if (quota.unlimited) return this.#admission(quota, state, []);
      counted.push({ holder: holderOf(quota, jobId), state });
      return this.#admission(quota, state, windowSpecs(this.#config, quota), jobId);
    });
    this.#active.restore(counted);
    return admissions;
  }

  /** What the person has used and has left, for `/quota`. */
  async usage(requester: QuotaRequester): Promise<QuotaUsage> {
    const quota = resolveQuota(this.#config, requester);
    return usageReport({ config: this.#config, active: this.#active, windows: this.#windows }, quota);
  }

  /** Closes every window counter and the active store; later calls wait for the first. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    await this.#windows.close();
    await Promise.all([this.#factory.close(), this.#active.close()]);
  }

  #admission(
    quota: EffectiveQuota,
    initial: 'waiting' | 'running',
    taken: WindowSpec[],
    jobId?: string,
  ): Admission {
    return createAdmission({ active: this.#active, windows: this.#windows }, quota, initial, taken, jobId);
  }
}
