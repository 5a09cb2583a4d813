import type { BackendPool } from '../pool/backend-pool.ts';
import { takeOverflow } from './cluster/overflow-take.ts';
import { dispatch } from './dispatch.ts';
import { type EngineContext, getJob, isStop, liveFor } from './engine-context.ts';
import type { BackendOffer, SharedJobs, TakenJob } from './cluster-jobs.ts';
import { isTerminal, type JobRecord } from './types.ts';

/**
 * The pump in shared mode: takes the next job in the fair order of every process's queue, for as long
 * as one of this process's backends has room (counted over every process) and a job fits. One take at a
 * time; a call while one runs makes it go round again.
 */
export function sharedPump(ctx: EngineContext, shared: SharedJobs): () => void {
  let pumping = false;
  let again = false;
  const pump = () => {
    if (ctx.stopping || ctx.closed) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    // Critical: shutdown waits for a take under way, so that a job taken meanwhile is let go of with the
    // others, and nothing reads the store after it is closed.
    ctx.track(
      takeWhileRoom(
        ctx,
        shared,
        () => again,
        () => (again = false),
      ).finally(() => {
        pumping = false;
        if (again) {
          again = false;
          pump();
        }
      }),
      true,
    );
  };
  return pump;
}

async function takeWhileRoom(
  ctx: EngineContext,
  shared: SharedJobs,
  again: () => boolean,
  clear: () => void,
): Promise<void> {
  do {
    clear();
    for (;;) {
      if (ctx.stopping || ctx.closed) return;
      const offers = offersOf(ctx.o.pool);
      const platforms = [...ctx.frontEnds.keys()];
      let taken: TakenJob | undefined;
      try {
        if (offers.length > 0) taken = await shared.takeNext(platforms, offers);
        // Local backends took nothing: a job that waits too long for them may go to an overflow backend.
        taken ??= await takeOverflow(ctx, shared, platforms);
      } catch (error) {
        ctx.o.log?.warn({ err: String(error) }, 'shared queue unavailable; trying again shortly');
        return;
      }
      if (!taken) break;
      await startTaken(ctx, shared, taken);
    }
  } while (again());
}

/**
 * Healthy local backends whose catalogue is known: the queue decides which has room, over every process.
 * Overflow backends are offered job by job, by their wait rule (`cluster/overflow-take.ts`); a service
 * refusing work for now (out of credits, queue full) is not.
 */
function offersOf(pool: BackendPool): BackendOffer[] {
  return pool.backends
    .filter((b) => b.healthy && b.objectInfo && !b.overflow && b.refusingUntil === undefined)
    .map((b) => ({ name: b.name, capacity: b.capacity, weight: b.weight }));
}

/** A job this process just took from the queue: loaded, its hold adopted, dispatched to its backend. */
async function startTaken(ctx: EngineContext, shared: SharedJobs, taken: TakenJob): Promise<void> {
  const { jobId } = taken;
  if (ctx.stopping) {
    // Taken as shutdown began: another process runs it.
    await shared.handOff(jobId).catch(() => {});
    return;
  }
  let job: JobRecord | undefined;
  try {
    job = await getJob(ctx, jobId);
  } catch {
    // The store is away: let another pass (or process) take it.
    await shared.handOff(jobId).catch(() => {});
    return;
  }
  const backend = ctx.o.pool.get(taken.backend);
  if (!job || isTerminal(job.state)) {
    await shared.finish(jobId).catch(() => {});
    return;
  }
  if (job.state !== 'queued' || !backend) {
    // Not a waiting job after all (a record ahead of the queue): the takeover path reads it as it is.
    await shared.handOff(jobId).catch(() => {});
    return;
  }
  ctx.jobs.set(job.id, job);
  const live = liveFor(ctx, job);
  ctx.o.quota.adopt?.([job]);
  if (await shared.isCancelRequested(jobId).catch(() => false)) live.cancelRequested = true;
  backend.jobs.add(job.id);
  ctx.track(
    dispatch(ctx, job, backend).catch((error) => {
      if (!isStop(error)) throw error;
    }),
  );
}
