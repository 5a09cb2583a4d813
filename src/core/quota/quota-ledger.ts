import { err, ok, type Result } from '../../shared/result.ts';
import { type ActiveHolder, type ActiveStore, localActive } from './active-store.ts';
import { DEFAULT_LIMITS, type EffectiveQuota, resolveQuota } from './quota-policy.ts';
import { refusal } from './refusal.ts';
import type { QuotaConfig, QuotaRefusal, QuotaRequester, QuotaUsage } from './types.ts';
import type { WindowCounter, WindowCounterFactory } from './window-counter.ts';

/** A job's hold on its owner's quota, from admission to its end. Every method is idempotent. */
export interface Admission {
  readonly key: string;
  readonly tier: string;
  /** For `FairQueue.enqueue(…, { priority })`. */
  readonly priority: number;
  /** Whether the owner has a free running slot now; use it in `FairQueue.next(canTake)`. */
  canStart(): boolean;
  /** Waiting → running; refused with `running` when the owner's running slots are full. */
  started(): Result<void, QuotaRefusal>;
  /** The job ended after running (success or failure); charges GPU time. Window slots are not refunded. */
  finished(usage?: { gpuSeconds?: number }): Promise<void>;
  /**
   * The job ended without running (canceled while waiting, rejected by the backend): frees its slot and
   * refunds its window slots, since it used no GPU. After `started()` this is `finished()` without a charge.
   */
  released(): Promise<void>;
}

/** A job that was still active when the process stopped. */
export interface ActiveJob {
  requester: QuotaRequester;
  state: 'waiting' | 'running';
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

const DEFAULT_MAX_OPEN = 10_000;
const DEFAULT_IDLE_MS = 10 * 60_000;
/** How often idle counters are looked for when nothing is being admitted. */
const SWEEP_MS = 60_000;

/** An open counter and who is using it; it is only closed while no call on it is in flight. */
interface OpenWindow {
  counter: Promise<WindowCounter>;
  idleMs: number;
  lastUsed: number;
  users: number;
}

/** A window counter by its identity; the limit is part of the id, so a tier change starts a new window. */
interface WindowSpec {
  id: string;
  limit: number;
  windowMs: number;
  kind: 'window' | 'community' | 'global';
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
  /** Open counters by id, least recently used first (a use moves its counter to the end). */
  readonly #windows = new Map<string, OpenWindow>();
  /** Counters being closed, by id; reopening an id waits for its close, so balances never race. */
  readonly #closing = new Map<string, Promise<void>>();
  readonly #maxOpen: number;
  readonly #idleMs: number;
  readonly #sweeper: NodeJS.Timeout;
  #closed?: Promise<void>;

  constructor(options: QuotaLedgerOptions) {
    this.#config = options.config;
    this.#factory = options.windows;
    this.#now = options.now ?? Date.now;
    this.#active = options.active ?? localActive();
    this.#maxOpen = Math.max(1, options.windowCache?.maxOpen ?? DEFAULT_MAX_OPEN);
    this.#idleMs = options.windowCache?.idleMs ?? DEFAULT_IDLE_MS;
    this.#sweeper = setInterval(() => this.#sweep(true), SWEEP_MS);
    this.#sweeper.unref();
  }

  /** Window counters open (or still closing) in this process; for tests and metrics. */
  get openWindows(): number {
    return this.#windows.size + this.#closing.size;
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
    options: { now?: number } = {},
  ): Promise<Result<Admission, QuotaRefusal>> {
    const quota = resolveQuota(this.#config, requester);
    if (quota.unlimited) return ok(this.#admission(quota, 'waiting', []));
    const now = options.now ?? this.#now();
    const { limits, communityKey } = quota;
    const { community, global } = this.#config;

    const holder = holderOf(quota);
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
      const refused = (await this.#checkGpu(quota, now)) ?? (await this.#takeWindows(quota, now, taken));
      if (refused) {
        this.#active.dropWaiting(holder);
        await this.#refund(taken);
        return err(refused);
      }
    } catch (error) {
      this.#active.dropWaiting(holder);
      await this.#refund(taken);
      throw error;
    }
    return ok(this.#admission(quota, 'waiting', taken));
  }

  /**
   * After a restart: re-counts running and waiting jobs from the engine's active jobs and returns their
   * admissions, in the same order. Window consumption is not touched (it was persisted when admitted).
   */
  restore(jobs: readonly ActiveJob[]): Admission[] {
    const counted: { holder: ActiveHolder; state: 'waiting' | 'running' }[] = [];
    const admissions = jobs.map(({ requester, state }) => {
      const quota = resolveQuota(this.#config, requester);
      if (quota.unlimited) return this.#admission(quota, state, []);
      counted.push({ holder: holderOf(quota), state });
      return this.#admission(quota, state, this.#windowSpecs(quota));
    });
    this.#active.restore(counted);
    return admissions;
  }

  /** What the person has used and has left, for `/quota`. */
  async usage(requester: QuotaRequester): Promise<QuotaUsage> {
    const quota = resolveQuota(this.#config, requester);
    const counts = quota.unlimited ? { running: 0, waiting: 0 } : await this.#active.counts(quota.key);
    const base = {
      key: quota.key,
      tier: quota.tier,
      unlimited: quota.unlimited,
      running: { used: counts.running, limit: quota.limits.running },
      waiting: { used: counts.waiting, limit: quota.limits.waiting },
    };
    if (quota.unlimited) return base;
    const [userWindow] = this.#windowSpecs(quota);
    const gpu = this.#gpuSpec(quota);
    return {
      ...base,
      window: await this.#use(userWindow!, (counter) => counter.usage()),
      gpuSeconds: gpu ? await this.#use(gpu, (counter) => counter.usage()) : undefined,
    };
  }

  /** Closes every window counter and the active store; later calls wait for the first. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    clearInterval(this.#sweeper);
    const open = [...this.#windows.values()];
    this.#windows.clear();
    // Includes counters still opening, which the factory does not know of yet.
    await Promise.all([
      ...this.#closing.values(),
      ...open.map(({ counter }) => counter.then((c) => c.close()).catch(() => {})),
    ]);
    await Promise.all([this.#factory.close(), this.#active.close()]);
  }

  async #checkGpu(quota: EffectiveQuota, now: number): Promise<QuotaRefusal | undefined> {
    const spec = this.#gpuSpec(quota);
    if (!spec) return undefined;
    // GPU time is only known afterwards, so admit while any is left and charge the real amount at the end.
    const usage = await this.#use(spec, (counter) => counter.usage());
    if (usage.remaining > 0) return undefined;
    return refusal('gpuSeconds', spec.limit, { retryAfterMs: usage.resetsAt - now, now });
  }

  async #takeWindows(
    quota: EffectiveQuota,
    now: number,
    taken: WindowSpec[],
  ): Promise<QuotaRefusal | undefined> {
    for (const spec of this.#windowSpecs(quota)) {
      const resetsAt = await this.#use(spec, async (counter) =>
        (await counter.tryTake(1)) ? undefined : (await counter.usage()).resetsAt,
      );
      if (resetsAt === undefined) {
        taken.push(spec);
        continue;
      }
      const retryAfterMs = resetsAt - now;
      if (spec.kind === 'window') return refusal('window', spec.limit, { retryAfterMs, now });
      return refusal(spec.kind, spec.limit, { retryAfterMs, now, cap: 'window' });
    }
    return undefined;
  }

  #windowSpecs(quota: EffectiveQuota): WindowSpec[] {
    const { limits, key, communityKey } = quota;
    const defaultWindow = this.#config.defaults?.windowMs ?? DEFAULT_LIMITS.windowMs;
    const specs: WindowSpec[] = [
      {
        kind: 'window',
        id: `window:${key}:${limits.perWindow}/${limits.windowMs}`,
        limit: limits.perWindow,
        windowMs: limits.windowMs,
      },
    ];
    const { community, global } = this.#config;
    if (community?.perWindow !== undefined && communityKey) {
      const windowMs = community.windowMs ?? defaultWindow;
      specs.push({
        kind: 'community',
        id: `community:${communityKey}:${community.perWindow}/${windowMs}`,
        limit: community.perWindow,
        windowMs,
      });
    }
    if (global?.perWindow !== undefined) {
      const windowMs = global.windowMs ?? defaultWindow;
      specs.push({
        kind: 'global',
        id: `global:${global.perWindow}/${windowMs}`,
        limit: global.perWindow,
        windowMs,
      });
    }
    return specs;
  }

  #gpuSpec(quota: EffectiveQuota): WindowSpec | undefined {
    const { gpuSecondsPerWindow: limit, windowMs } = quota.limits;
    if (limit === undefined) return undefined;
    return { kind: 'window', id: `gpu:${quota.key}:${limit}/${windowMs}`, limit, windowMs };
  }

  /**
   * Runs `run` on the spec's counter, opening it (or reopening it, once a close in progress is done) when
   * needed. The counter counts as in use until `run` settles, and a counter in use is never closed.
   */
  async #use<T>(spec: WindowSpec, run: (counter: WindowCounter) => Promise<T>): Promise<T> {
    const entry = this.#acquire(spec);
    try {
      return await run(await entry.counter);
    } finally {
      entry.users -= 1;
      entry.lastUsed = this.#now();
      if (this.#windows.get(spec.id) === entry) {
        this.#windows.delete(spec.id);
        this.#windows.set(spec.id, entry);
      }
      this.#sweep(false);
    }
  }

  #acquire(spec: WindowSpec): OpenWindow {
    let entry = this.#windows.get(spec.id);
    if (entry) {
      this.#windows.delete(spec.id);
    } else {
      const open = () => this.#factory.open(spec.id, spec.limit, spec.windowMs);
      const closing = this.#closing.get(spec.id);
      const created: OpenWindow = {
        counter: closing ? closing.then(open) : open(),
        idleMs: Math.min(spec.windowMs, this.#idleMs),
        lastUsed: this.#now(),
        users: 0,
      };
      created.counter.catch(() => {
        if (this.#windows.get(spec.id) === created) this.#windows.delete(spec.id);
      });
      entry = created;
    }
    entry.users += 1;
    this.#windows.set(spec.id, entry);
    return entry;
  }

  /**
   * Closes idle counters, then the least recently used past `maxOpen`, skipping counters in use. After
   * each use only the oldest are looked at (it stops at the first one to keep); the periodic sweep
   * looks at all of them.
   */
  #sweep(full: boolean): void {
    const now = this.#now();
    for (const [id, entry] of this.#windows) {
      if (entry.users > 0) continue;
      if (this.#windows.size > this.#maxOpen || now - entry.lastUsed >= entry.idleMs) this.#evict(id, entry);
      else if (!full) return;
    }
  }

  #evict(id: string, entry: OpenWindow): void {
    this.#windows.delete(id);
    // Nothing is in flight on it (`users` is 0), so its last change is already persisted.
    const closed: Promise<void> = entry.counter
      .then((counter) => counter.close())
      .catch(() => {})
      .finally(() => {
        if (this.#closing.get(id) === closed) this.#closing.delete(id);
      });
    this.#closing.set(id, closed);
  }

  async #refund(specs: readonly WindowSpec[]): Promise<void> {
    for (const spec of specs) await this.#use(spec, (counter) => counter.refund(1));
  }

  #admission(quota: EffectiveQuota, initial: 'waiting' | 'running', taken: WindowSpec[]): Admission {
    let state: 'waiting' | 'running' | 'ended' = initial;
    const counted = !quota.unlimited;
    const active = this.#active;
    const holder = holderOf(quota);
    const leaveState = () => {
      if (counted && state === 'waiting') active.dropWaiting(holder);
      if (counted && state === 'running') active.stopRunning(holder);
      state = 'ended';
    };
    const admission: Admission = {
      key: quota.key,
      tier: quota.tier,
      priority: quota.priority,
      canStart: () => !counted || state === 'running' || active.canStart(holder),
      started: () => {
        if (state !== 'waiting') return ok(undefined);
        if (counted && !active.start(holder)) return err(refusal('running', quota.limits.running));
        state = 'running';
        return ok(undefined);
      },
      finished: async (usage = {}) => {
        if (state === 'ended') return;
        leaveState();
        const gpu = counted ? this.#gpuSpec(quota) : undefined;
        if (gpu && usage.gpuSeconds && usage.gpuSeconds > 0)
          await this.#use(gpu, (counter) => counter.charge(usage.gpuSeconds!));
      },
      released: async () => {
        if (state === 'ended') return;
        const refund = state === 'waiting';
        leaveState();
        if (refund) await this.#refund(taken);
      },
    };
    return admission;
  }
}

const holderOf = (quota: EffectiveQuota): ActiveHolder => ({
  key: quota.key,
  communityKey: quota.communityKey,
  limits: quota.limits,
});
