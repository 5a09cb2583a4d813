import { sleep } from './engine-clock.ts';
import { EngineClosedError, type EngineContext, LeaseLostError, liveFor } from './engine-context.ts';
import { queueEntry } from './queue-entry.ts';
import { position } from './queue-view.ts';
import { isTerminal, type JobRecord, type JobState, type JobUpdate } from './types.ts';

export type EndState = 'succeeded' | 'failed' | 'canceled' | 'expired';

/** Longest pause between two tries of a store write that keeps failing. */
const MAX_WRITE_PAUSE_MS = 5000;

/** Tells about the job's current state (paced); a terminal state is the job's last update. */
export function notify(ctx: EngineContext, job: JobRecord, extra: Partial<JobUpdate> = {}): void {
  const live = liveFor(ctx, job);
  if (extra.movedFrom) live.movedFrom = extra.movedFrom;
  const update: JobUpdate = {
    job: { ...job },
    progress: live.progress,
    ...position(ctx, job.id),
    ...(live.movedFrom ? { movedFrom: live.movedFrom } : {}),
    ...(live.note && job.state === 'queued' ? { note: live.note } : {}),
    ...(live.preview && !isTerminal(job.state) ? { preview: live.preview } : {}),
    ...extra,
  };
  if (isTerminal(job.state)) ctx.live.delete(job.id);
  ctx.updates.send(update);
}

/**
 * Writes the job to the store, trying again (with a growing pause) until the write succeeds, or
 * `maxAttempts` failed: a change that is not stored has not happened, so the caller's next step waits
 * for it. Stops with
 * `EngineClosedError` after shutdown and `LeaseLostError` once another process took the job over.
 */
export async function persist(ctx: EngineContext, job: JobRecord, maxAttempts = Infinity): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (ctx.closed) throw new EngineClosedError();
    if (ctx.live.get(job.id)?.abandoned) throw new LeaseLostError(job.id);
    job.updatedAt = ctx.o.clock.now();
    try {
      await ctx.o.store.put(job);
      if (attempt > 0) ctx.o.log?.info({ job: job.id, attempts: attempt + 1 }, 'job store write succeeded');
      return;
    } catch (error) {
      if (attempt + 1 >= maxAttempts) throw error;
      if (attempt === 0 || attempt % 10 === 0)
        ctx.o.log?.warn({ job: job.id, attempt, err: String(error) }, 'job store write failed; retrying');
      await sleep(ctx.o.clock, Math.min(MAX_WRITE_PAUSE_MS, 100 * 2 ** attempt));
    }
  }
}

/** Persists the job (see `persist`), then tells the transition listeners. */
export async function save(
  ctx: EngineContext,
  job: JobRecord,
  from: JobState | undefined,
  maxAttempts = Infinity,
): Promise<void> {
  ctx.jobs.set(job.id, job);
  await persist(ctx, job, maxAttempts);
  ctx.updates.transitioned(job, from);
}

export async function transition(
  ctx: EngineContext,
  job: JobRecord,
  state: JobState,
  patch: Partial<JobRecord> = {},
  extra: Partial<JobUpdate> = {},
): Promise<void> {
  const from = job.state;
  Object.assign(job, patch, { state });
  await save(ctx, job, from);
  notify(ctx, job, extra);
}

/**
 * Ends the job: frees its backend slot, persists the end, lets the next job run, and, in the background,
 * waits until its front end took the news (then records that, so a restart does not tell it again).
 */
export async function finish(
  ctx: EngineContext,
  job: JobRecord,
  state: EndState,
  patch: Partial<JobRecord> = {},
): Promise<void> {
  release(ctx, job);
  await transition(ctx, job, state, { ...patch, finishedAt: ctx.o.clock.now() });
  ctx.jobs.delete(job.id);
  ctx.pump();
  ctx.track(confirmTold(ctx, job), true);
}

/**
 * After a terminal update went to the front end: records that its owner was told, or leaves the job for
 * a process (or a later start) that has its front end.
 */
export async function confirmTold(ctx: EngineContext, job: JobRecord): Promise<void> {
  const fe = ctx.updates.frontEndOf(job);
  if (job.delivery && !fe) {
    await ctx.o.shared?.handOff(job.id);
    return;
  }
  const told = await ctx.updates.finalDelivered(job.id);
  if (!told) {
    ctx.o.log?.warn({ job: job.id }, 'its owner could not be told how the job ended; kept to try again');
    await ctx.o.shared?.handOff(job.id);
    return;
  }
  if (job.delivery && job.notifiedAt === undefined) {
    job.notifiedAt = ctx.o.clock.now();
    await persist(ctx, job);
  }
  await ctx.o.shared?.finish(job.id);
}

/** Frees the job's place on its backend. */
export function release(ctx: EngineContext, job: JobRecord): void {
  if (job.backend) ctx.o.pool.get(job.backend)?.jobs.delete(job.id);
}

/** Puts the job in the fair queue (its state is already `queued`). */
export async function enqueue(ctx: EngineContext, job: JobRecord): Promise<void> {
  liveFor(ctx, job).queuedAt = ctx.o.clock.now();
  if (ctx.o.shared) await ctx.o.shared.enqueue(queueEntry(ctx, job));
  else ctx.o.queue.enqueue(job.id, job.ownerKey, job.priority);
  notify(ctx, job);
}
