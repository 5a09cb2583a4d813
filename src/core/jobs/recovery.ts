import { cancelOn, cancelWanted } from './cancel.ts';
import { onComfyEvent } from './comfy-events.ts';
import { deliver } from './delivery.ts';
import { dispatch } from './dispatch.ts';
import { critical, type EngineContext, isStop, liveFor } from './engine-context.ts';
import { requeue } from './failover.ts';
import { confirmTold, enqueue, notify } from './job-lifecycle.ts';
import { onOutcome } from './prompt-outcome.ts';
import { isTerminal, type JobRecord } from './types.ts';

/**
 * On start (this process alone): loads this instance's unfinished jobs and picks each up where it was
 * (queued again, delivered again, watched again on its backend, or its end told again). In shared mode
 * jobs are picked up by `shared-start.ts` instead, whichever process they were on.
 */
export async function recover(ctx: EngineContext): Promise<void> {
  const { o } = ctx;
  const mine = (await o.store.active()).filter((j) => (j.instance ?? 'main') === o.instanceId);
  const under = mine.filter((j) => !isTerminal(j.state));
  // A job in `delivering` already gave its quota back (`finished`) before it got there.
  await o.quota.restore(under.filter((j) => j.state !== 'delivering'));
  for (const job of mine.sort((a, b) => a.createdAt - b.createdAt)) await resume(ctx, job, 'recovered');
}

/**
 * Picks up one job this process now holds, from its persisted state; says so in one log line.
 * `how`: `recovered` after a restart, `taken over` from a process that died.
 */
export async function resume(
  ctx: EngineContext,
  job: JobRecord,
  how: 'recovered' | 'taken over',
  from?: string,
): Promise<void> {
  const { o } = ctx;
  o.log?.info(
    { job: job.id, state: job.state, backend: job.backend, ...(from ? { from } : {}) },
    `job ${how}`,
  );
  if (isTerminal(job.state)) {
    // It ended, but its owner may not have been told: tell again (front ends take it idempotently).
    notify(ctx, job);
    ctx.track(confirmTold(ctx, job), true);
    return;
  }
  ctx.jobs.set(job.id, job);
  liveFor(ctx, job);
  if (job.state === 'queued') {
    if (o.shared) ctx.track(requeue(ctx, job));
    else await enqueue(ctx, job);
  } else if (job.state === 'delivering') ctx.track(critical(ctx, deliver(ctx, job)));
  else ctx.track(reattach(ctx, job));
}

/** Watches a job that was on a backend by its prompt id, or queues it again if that backend is gone. */
async function reattach(ctx: EngineContext, job: JobRecord): Promise<void> {
  const backend = job.backend ? ctx.o.pool.get(job.backend) : undefined;
  try {
    if (!backend || !job.promptId) {
      // Keeps the admission restored for it, as a retry does.
      await requeue(ctx, job);
      return;
    }
    backend.jobs.add(job.id);
    await ctx.o.shared?.occupy(job.id, backend.name);
    if (backend.cloud && !job.remoteId) {
      // Stopped before the service's answer was stored: sent again under the same idempotency key,
      // the service hands back the job it may have made instead of running it twice.
      await dispatch(ctx, job, backend);
      return;
    }
    const remoteId = job.remoteId ?? job.promptId;
    const handle = backend.client.attach(remoteId, job.workflow as never, (e) => onComfyEvent(ctx, job, e));
    if (await cancelWanted(ctx, job)) void cancelOn(ctx, backend, job, remoteId);
    await onOutcome(ctx, job, backend, await handle.done);
  } catch (error) {
    if (!isStop(error)) throw error;
  }
}
