import { ActiveCounts } from './active-counts.ts';

/** Whose job it is, and the limits that apply to its running and waiting slots. */
export interface ActiveHolder {
  /** The job this hold is for; the Redis store counts per job (one is made up when missing). */
  job?: string;
  key: string;
  communityKey?: string;
  limits: { running: number; waiting: number };
}

/** The shared waiting caps that apply to an admission (absent: no cap). */
export interface WaitingCaps {
  community?: number;
  global?: number;
}

/** Which waiting cap refused a job. */
export type WaitingCap = 'waiting' | 'community' | 'global';

/**
 * Running and waiting jobs: per person, per community (waiting) and overall (waiting). `localActive()`
 * counts this process only (embedded); `redisActive()` counts every process sharing one Redis.
 */
export interface ActiveStore {
  /**
   * Checks the person's, the community's and the global waiting caps and, when none is reached, holds a
   * waiting slot, atomically. The local store holds it before returning, so concurrent admits in one
   * process cannot overshoot; the Redis store does it in one Lua script, so processes cannot either.
   */
  holdWaiting(holder: ActiveHolder, caps: WaitingCaps): Promise<WaitingCap | undefined>;
  /** Gives back a waiting slot: the job ended before it started, or was refused after `holdWaiting`. */
  dropWaiting(holder: ActiveHolder): void;
  /** Synchronous, for `FairQueue.next(canTake)`: whether one of the person's waiting jobs may start now. */
  canStart(holder: ActiveHolder): boolean;
  /** Waiting → running, synchronously; false (and nothing changes) when `canStart` is false. */
  start(holder: ActiveHolder): boolean;
  /** A running job ended. */
  stopRunning(holder: ActiveHolder): void;
  /**
   * After a restart: this process's jobs. The local store replaces whatever it held; the Redis store,
   * whose counts belong to jobs, only adds the jobs it does not count yet (a job taken over).
   */
  restore(jobs: readonly { holder: ActiveHolder; state: 'waiting' | 'running' }[]): void;
  /** The person's running and waiting jobs, for `/quota`. */
  counts(key: string): Promise<{ running: number; waiting: number }>;
  /** Called when `canStart` may have turned true without a call into this process (another one freed a slot). */
  onCanStart(listener: () => void): void;
  close(): Promise<void>;
}

/** Counts in this process only (embedded mode); every method is synchronous underneath. */
export function localActive(): ActiveStore {
  const counts = new ActiveCounts();
  const canStart = (h: ActiveHolder) => counts.user(h.key).running < h.limits.running;
  return {
    async holdWaiting(h, caps) {
      if (counts.user(h.key).waiting >= h.limits.waiting) return 'waiting';
      if (
        caps.community !== undefined &&
        h.communityKey &&
        counts.communityWaiting(h.communityKey) >= caps.community
      ) {
        return 'community';
      }
      if (caps.global !== undefined && counts.globalWaiting >= caps.global) return 'global';
      counts.addWaiting(h.key, h.communityKey, 1);
      return undefined;
    },
    dropWaiting: (h) => counts.addWaiting(h.key, h.communityKey, -1),
    canStart,
    start(h) {
      if (!canStart(h)) return false;
      counts.addWaiting(h.key, h.communityKey, -1);
      counts.addRunning(h.key, 1);
      return true;
    },
    stopRunning: (h) => counts.addRunning(h.key, -1),
    restore(jobs) {
      counts.clear();
      for (const { holder, state } of jobs) {
        if (state === 'waiting') counts.addWaiting(holder.key, holder.communityKey, 1);
        else counts.addRunning(holder.key, 1);
      }
    },
    counts: async (key) => counts.user(key),
    onCanStart() {},
    async close() {},
  };
}
