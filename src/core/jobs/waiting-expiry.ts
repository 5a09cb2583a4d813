import { type EngineContext, getJob } from './engine-context.ts';
import { finish } from './job-lifecycle.ts';
import type { JobRecord } from './types.ts';

/** Ends the waiting jobs that no backend has been able to take for `waitForBackendMs`. */
export async function expireWaiting(ctx: EngineContext): Promise<void> {
  const { clock, waitForBackendMs, pool, queue, quota, shared } = ctx.o;
  const now = clock.now();
  if (shared) {
    // Every process looks at every waiting job; the one whose removal wins ends it.
    const healthy = new Set(pool.backends.filter((b) => b.healthy && b.objectInfo).map((b) => b.name));
    for (const entry of shared.waiting()) {
      if (now - entry.queuedAt < waitForBackendMs) continue;
      if ([...healthy].some((name) => !entry.incapable.includes(name))) continue;
      if (!(await shared.remove(entry.id))) continue;
      const job = await getJob(ctx, entry.id);
      if (!job) continue;
      quota.adopt?.([job]);
      await expire(ctx, job);
    }
    return;
  }
  for (const [id, live] of ctx.live) {
    const job = ctx.jobs.get(id);
    if (job?.state !== 'queued') continue;
    if (now - live.queuedAt < waitForBackendMs) continue;
    if (pool.capable(job.workflow).length > 0) continue;
    queue.remove(id);
    await expire(ctx, job);
  }
}

async function expire(ctx: EngineContext, job: JobRecord): Promise<void> {
  ctx.o.quota.released(job.id);
  ctx.jobs.set(job.id, job);
  const seconds = Math.round(ctx.o.waitForBackendMs / 1000);
  await finish(ctx, job, 'expired', { error: { code: 'jobs.noBackendInTime', params: { seconds } } });
}
