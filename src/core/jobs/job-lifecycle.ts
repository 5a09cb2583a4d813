import { EngineClosedError, type EngineContext, liveFor } from './engine-context.ts';
import { position } from './queue-view.ts';
import { isTerminal, type JobRecord, type JobState, type JobUpdate } from './types.ts';

export type EndState = 'succeeded' | 'failed' | 'canceled' | 'expired';

/** Tells about the job's current state (paced); a terminal state is the job's last update. */
export function notify(ctx: EngineContext, job: JobRecord, extra: Partial<JobUpdate> = {}): void {
  const live = liveFor(ctx, job);
  if (extra.movedFrom) live.movedFrom = extra.movedFrom;
  const update: JobUpdate = {
    job: { ...job },
    progress: live.progress,
    ...position(ctx, job.id),
    ...(live.movedFrom ? { movedFrom: live.movedFrom } : {}),
    ...(live.preview && !isTerminal(job.state) ? { preview: live.preview } : {}),
    ...extra,
  };
  if (isTerminal(job.state)) ctx.live.delete(job.id);
  ctx.updates.send(update);
}

/** Persists the job, then tells the transition listeners. */
export async function save(ctx: EngineContext, job: JobRecord, from: JobState | undefined): Promise<void> {
  // After shutdown the store is closed; the job stays as last persisted and recovery resumes it.
  if (ctx.closed) throw new EngineClosedError();
  job.updatedAt = ctx.o.clock.now();
  ctx.jobs.set(job.id, job);
  await ctx.o.store.put(job);
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

/** Ends the job: frees its backend slot, persists the end and lets the next job run. */
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
}

/** Frees the job's place on its backend. */
export function release(ctx: EngineContext, job: JobRecord): void {
  if (job.backend) ctx.o.pool.get(job.backend)?.jobs.delete(job.id);
}

/** Puts the job in the fair queue (its state is already `queued`). */
export function enqueue(ctx: EngineContext, job: JobRecord): void {
  liveFor(ctx, job).queuedAt = ctx.o.clock.now();
  ctx.o.queue.enqueue(job.id, job.ownerKey, job.priority);
  notify(ctx, job);
}
