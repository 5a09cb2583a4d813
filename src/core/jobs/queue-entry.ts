import type { EngineContext } from './engine-context.ts';
import type { QueueEntry } from './cluster-jobs.ts';
import type { JobRecord } from './types.ts';

/** The job as the shared queue keeps it while it waits. */
export function queueEntry(ctx: EngineContext, job: JobRecord): QueueEntry {
  const { pool } = ctx.o;
  // Only what this process knows rules a backend out: one whose catalogue is not known yet, or that
  // only another process has, may run it.
  const incapable = [...pool.problems(job.workflow)].filter(([, p]) => p.length > 0).map(([name]) => name);
  return {
    id: job.id,
    owner: job.ownerKey,
    priority: job.priority,
    platform: job.delivery?.platform ?? '',
    incapable,
    avoid: job.avoid ?? [],
    queuedAt: ctx.o.clock.now(),
  };
}
