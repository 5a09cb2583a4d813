import { onComfyEvent } from './comfy-events.ts';
import { deliver } from './delivery.ts';
import { type EngineContext, liveFor } from './engine-context.ts';
import { enqueue, transition } from './job-lifecycle.ts';
import { onOutcome } from './prompt-outcome.ts';
import type { JobRecord } from './types.ts';

/**
 * On start: loads this instance's unfinished jobs and picks each up where it was (queued again,
 * delivered again, or watched again on its backend).
 */
export async function recover(ctx: EngineContext): Promise<void> {
  const { o } = ctx;
  const active = (await o.store.active()).filter((j) => (j.instance ?? 'main') === o.instanceId);
  // A job in `delivering` already gave its quota back (`finished`) before it got there.
  await o.quota.restore(active.filter((j) => j.state !== 'delivering'));
  for (const job of active.sort((a, b) => a.createdAt - b.createdAt)) {
    ctx.jobs.set(job.id, job);
    liveFor(ctx, job);
    if (job.state === 'queued') enqueue(ctx, job);
    else if (job.state === 'delivering') ctx.track(deliver(ctx, job));
    else ctx.track(reattach(ctx, job));
  }
}

/** Watches a job that was on a backend by its prompt id, or queues it again if that backend is gone. */
async function reattach(ctx: EngineContext, job: JobRecord): Promise<void> {
  const backend = job.backend ? ctx.o.pool.get(job.backend) : undefined;
  if (!backend || !job.promptId) {
    // Keeps the admission restored for it, as a retry does.
    await transition(ctx, job, 'queued');
    enqueue(ctx, job);
    ctx.pump();
    return;
  }
  backend.jobs.add(job.id);
  const handle = backend.client.attach(job.promptId, job.workflow as never, (e) => onComfyEvent(ctx, job, e));
  await onOutcome(ctx, job, backend, await handle.done);
}
