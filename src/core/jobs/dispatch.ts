import { randomUUID } from 'node:crypto';
import type { Backend } from '../pool/backend.ts';
import { cancelOn } from './cancel.ts';
import { onComfyEvent } from './comfy-events.ts';
import { type EngineContext, liveFor } from './engine-context.ts';
import { onSubmitError } from './failover.ts';
import { transition } from './job-lifecycle.ts';
import { onOutcome } from './prompt-outcome.ts';
import type { JobRecord } from './types.ts';

/** Runs a job on the backend the pump chose: binds its input image, submits, and follows it to its end. */
export async function dispatch(ctx: EngineContext, job: JobRecord, backend: Backend): Promise<void> {
  const { o } = ctx;
  // Before the first await: the pump's next `canStart` must already see this job running.
  o.quota.started(job.id);
  const live = liveFor(ctx, job);
  o.hooks?.onWait?.(job, o.clock.now() - live.queuedAt);
  const promptId = randomUUID();
  const movedFrom = job.backend && job.backend !== backend.name ? job.backend : undefined;
  await transition(
    ctx,
    job,
    'dispatched',
    { backend: backend.name, promptId, attempts: job.attempts + 1, dispatchedAt: o.clock.now() },
    movedFrom ? { movedFrom } : {},
  );
  try {
    const workflow = await withInputImage(ctx, job, backend);
    const handle = await backend.client.submit(workflow as never, {
      promptId,
      extraData: job.request.extraData,
      onEvent: (e) => onComfyEvent(ctx, job, e),
    });
    // Canceled while POST /prompt was on its way: that cancel could not reach the prompt yet.
    if (live.cancelRequested) void cancelOn(ctx, backend, job, promptId);
    await onOutcome(ctx, job, backend, await handle.done);
  } catch (error) {
    await onSubmitError(ctx, job, backend, error);
  }
}

/** The job's workflow with its input image uploaded to this backend and named where it goes. */
async function withInputImage(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
): Promise<Record<string, unknown>> {
  const image = job.request.inputImage;
  const targets = job.imageTargets ?? [];
  if (!image || targets.length === 0) return job.workflow;
  const bytes = await ctx.o.blobs.get(image.key);
  if (!bytes) throw new Error(`input image ${image.key} is missing from storage`);
  const name = await backend.client.uploadImage(
    bytes,
    image.mime === 'image/jpeg' ? 'jpg' : image.mime.split('/')[1],
  );
  const workflow = structuredClone(job.workflow) as Record<string, { inputs: Record<string, unknown> }>;
  for (const t of targets) {
    const node = workflow[t.node];
    if (node) node.inputs[t.input] = name;
  }
  return workflow;
}
