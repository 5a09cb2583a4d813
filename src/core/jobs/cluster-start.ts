import { cancelOn } from './cancel.ts';
import { every } from './engine-clock.ts';
import { type EngineContext, getJob, liveFor } from './engine-context.ts';
import { tellInterrupted } from './interrupted-requests.ts';
import { persist, release } from './job-lifecycle.ts';
import { queueEntry } from './queue-entry.ts';
import { resume } from './recovery.ts';
import type { SharedEvents, SharedJobs } from './cluster-jobs.ts';
import { isTerminal, type JobRecord } from './types.ts';

/** How often every process checks the store against the shared queue (see `sweep`). */
const SWEEP_MS = 30_000;

/**
 * Starts this process in shared mode: listens to the queue, takes back its own jobs after a restart
 * under the same name, repairs what a crash between two writes left behind, and from then on claims the
 * jobs whose process died. Returns what stops the periodic sweep.
 */
export async function startShared(ctx: EngineContext, shared: SharedJobs): Promise<() => void> {
  await shared.start(sharedEvents(ctx, shared));
  await sweep(ctx, shared, true);
  const stopSweeps = every(ctx.o.clock, SWEEP_MS, () => ctx.track(sweep(ctx, shared)));
  const tellEvery = Math.min(5000, ctx.o.interruptedAfterMs);
  const stopTelling = every(ctx.o.clock, tellEvery, () => ctx.track(tellInterrupted(ctx)));
  return () => {
    stopSweeps();
    stopTelling();
  };
}

function sharedEvents(ctx: EngineContext, shared: SharedJobs): SharedEvents {
  const claiming = new Set<string>();
  const { o } = ctx;
  return {
    changed: () => ctx.pump(),
    taken(jobId) {
      // A job this process admitted (and followed while it waited) is another's now.
      if (!ctx.jobs.has(jobId) || shared.holds(jobId)) return;
      ctx.jobs.delete(jobId);
      ctx.live.delete(jobId);
      o.quota.forget?.(jobId);
    },
    leaseLost(jobId) {
      o.log?.warn({ job: jobId }, 'job taken over by another process; this one lets it go');
      const job = ctx.jobs.get(jobId);
      if (job) {
        liveFor(ctx, job).abandoned = true;
        release(ctx, job);
      }
      ctx.jobs.delete(jobId);
      o.quota.forget?.(jobId);
    },
    cancelRequested(jobId) {
      const job = ctx.jobs.get(jobId);
      if (!job || !shared.holds(jobId)) return;
      liveFor(ctx, job).cancelRequested = true;
      const backend = job.backend ? o.pool.get(job.backend) : undefined;
      if (backend && job.promptId && (job.state === 'dispatched' || job.state === 'running'))
        void cancelOn(ctx, backend, job, job.promptId);
    },
    deliveryPatched(jobId) {
      const job = ctx.jobs.get(jobId);
      if (!job?.delivery) return;
      ctx.track(
        (async () => {
          const patch = await shared.deliveryPatch(jobId);
          if (!patch || !job.delivery) return;
          job.delivery = { ...job.delivery, ...patch, platform: job.delivery.platform };
          if (shared.holds(jobId)) await persist(ctx, job);
        })(),
      );
    },
    orphan(jobId, from, platform) {
      if (ctx.stopping || claiming.has(jobId)) return;
      if (platform && !ctx.frontEnds.has(platform)) return;
      claiming.add(jobId);
      ctx.track(takeOver(ctx, shared, jobId, from).finally(() => claiming.delete(jobId)));
    },
  };
}

/** Claims a job nobody holds and picks it up where its record says it was. */
async function takeOver(ctx: EngineContext, shared: SharedJobs, jobId: string, from: string): Promise<void> {
  if (!(await shared.claim(jobId))) return;
  await pickUp(ctx, shared, jobId, from === ctx.o.instanceId ? 'recovered' : 'taken over', from);
}

/** A job this process just claimed: read, its hold adopted, resumed where its record says it was. */
async function pickUp(
  ctx: EngineContext,
  shared: SharedJobs,
  jobId: string,
  how: 'recovered' | 'taken over',
  from?: string,
): Promise<void> {
  let job: JobRecord | undefined;
  try {
    job = await getJob(ctx, jobId);
  } catch {
    // The store is away: let go, for a later scan to claim it again.
    await shared.handOff(jobId);
    return;
  }
  if (!job) {
    await shared.finish(jobId);
    return;
  }
  job.instance = ctx.o.instanceId;
  if (!isTerminal(job.state) && job.state !== 'delivering') ctx.o.quota.adopt?.([job]);
  await resume(ctx, job, how, from || undefined);
}

/**
 * The store against the queue: a job the store has under way that the queue does not know (its process
 * died between two writes, or the data predates shared mode) is queued again if it was waiting, or
 * recorded as taken with no lease so that one process claims it. This process's own jobs from before a
 * restart under the same name are claimed at once instead of after their leases run out.
 */
async function sweep(ctx: EngineContext, shared: SharedJobs, own = false): Promise<void> {
  const active = await ctx.o.store.active();
  const unknown = new Set(await shared.unknown(active.map((j) => j.id)));
  const lost = active.filter((j) => unknown.has(j.id));
  for (const job of lost.filter((j) => j.state === 'queued')) await shared.enqueue(queueEntry(ctx, job));
  await shared.adoptUnknown(
    lost.filter((j) => j.state !== 'queued').map((j) => ({ id: j.id, platform: j.delivery?.platform ?? '' })),
  );
  if (!own) return;
  for (const job of active) {
    if (job.instance !== ctx.o.instanceId || job.state === 'queued' || shared.holds(job.id)) continue;
    if (ctx.stopping) return;
    const platform = job.delivery?.platform;
    if (platform && !ctx.frontEnds.has(platform)) continue;
    if (await shared.claim(job.id)) await pickUp(ctx, shared, job.id, 'recovered');
  }
}
