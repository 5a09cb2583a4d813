import { err, ok, type Result } from '#shared/result.ts';
import type { ActiveHolder, ActiveStore } from './active-store.ts';
import type { EffectiveQuota } from './quota-policy.ts';
import { refusal } from './refusal.ts';
import type { QuotaRefusal } from './types.ts';
import type { WindowCache } from './window-cache.ts';
import { refundWindows } from './window-checks.ts';
import { gpuSpec, type WindowSpec } from './window-specs.ts';

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

/** The person's key and limits, as the active store counts them. */
export const holderOf = (quota: EffectiveQuota, job?: string): ActiveHolder => ({
  ...(job ? { job } : {}),
  key: quota.key,
  communityKey: quota.communityKey,
  limits: quota.limits,
});

/**
 * Tracks one job through waiting → running → ended in the active store. An unlimited quota is not
 * counted at all; `taken` are the windows refunded if the job ends before it starts.
 */
export function createAdmission(
  deps: { active: ActiveStore; windows: WindowCache },
  quota: EffectiveQuota,
  initial: 'waiting' | 'running',
  taken: readonly WindowSpec[],
  jobId?: string,
): Admission {
  const { active, windows } = deps;
  let state: 'waiting' | 'running' | 'ended' = initial;
  const counted = !quota.unlimited;
  const holder = holderOf(quota, jobId);
  const leaveState = () => {
    if (counted && state === 'waiting') active.dropWaiting(holder);
    if (counted && state === 'running') active.stopRunning(holder);
    state = 'ended';
  };
  return {
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
      const gpu = counted ? gpuSpec(quota) : undefined;
      if (gpu && usage.gpuSeconds && usage.gpuSeconds > 0)
        await windows.use(gpu, (counter) => counter.charge(usage.gpuSeconds!));
    },
    released: async () => {
      if (state === 'ended') return;
      const refund = state === 'waiting';
      leaveState();
      if (refund) await refundWindows(windows, taken);
    },
  };
}
