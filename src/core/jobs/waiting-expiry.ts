import type { EngineContext } from './engine-context.ts';
import { finish } from './job-lifecycle.ts';

/** Ends the waiting jobs that no backend has been able to take for `waitForBackendMs`. */
export async function expireWaiting(ctx: EngineContext): Promise<void> {
  const { clock, waitForBackendMs, pool, queue, quota } = ctx.o;
  const now = clock.now();
  for (const [id, live] of ctx.live) {
    const job = ctx.jobs.get(id);
    if (job?.state !== 'queued') continue;
    if (now - live.queuedAt < waitForBackendMs) continue;
    if (pool.capable(job.workflow).length > 0) continue;
    queue.remove(id);
    quota.released(id);
    await finish(ctx, job, 'expired', {
      error: { code: 'jobs.noBackendInTime', params: { seconds: Math.round(waitForBackendMs / 1000) } },
    });
  }
}
