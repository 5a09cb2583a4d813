import type { StorageBackend } from './backend.ts';
import type { Store } from './store.ts';

/** A `Store` of jobs that also knows which jobs are not finished, without scanning every job ever stored. */
export interface JobStore<J> extends Store<J> {
  /** Jobs for which `isActive` holds, for recovery on start; O(active jobs). */
  listActive(): AsyncIterable<[id: string, job: J]>;
}

const ACTIVE_SET = 'jobs:active';

/**
 * Keeps a set of active job ids next to the records. The set is written first when a job becomes active and
 * last when it stops being active, so after a crash it may hold too many ids but never too few;
 * `listActive` re-checks each record and drops stale ids.
 */
export function indexedJobStore<J>(
  records: Store<J>,
  backend: StorageBackend,
  isActive: (job: J) => boolean,
): JobStore<J> {
  return {
    get: (id) => records.get(id),
    list: () => records.list(),
    async set(id, job, ttlMs) {
      if (isActive(job)) {
        await backend.setAdd(ACTIVE_SET, id);
        await records.set(id, job, ttlMs);
      } else {
        await records.set(id, job, ttlMs);
        await backend.setRemove(ACTIVE_SET, id);
      }
    },
    async delete(id) {
      const deleted = await records.delete(id);
      await backend.setRemove(ACTIVE_SET, id);
      return deleted;
    },
    async *listActive() {
      for (const id of await backend.setMembers(ACTIVE_SET)) {
        const job = await records.get(id);
        if (job !== undefined && isActive(job)) yield [id, job];
        else await backend.setRemove(ACTIVE_SET, id);
      }
    },
  };
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'expired']);

/** Default activity test: the job has a `state` that is not terminal (see `TERMINAL_STATES` in core/jobs). */
export function hasNonTerminalState(job: unknown): boolean {
  if (typeof job !== 'object' || job === null || !('state' in job)) return false;
  return typeof job.state === 'string' && !TERMINAL.has(job.state);
}
