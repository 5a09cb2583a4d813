import { randomUUID } from 'node:crypto';
import type { PromptHandle } from '../../comfy/index.ts';
import type { Backend } from '../pool/backend.ts';
import { reserveBudget } from './backend-choice.ts';
import { cancelOn } from './cancel.ts';
import { onComfyEvent } from './comfy-events.ts';
import { sleep } from './engine-clock.ts';
import { critical, type EngineContext, isStop, liveFor } from './engine-context.ts';
import { onSubmitError } from './failover.ts';
import { finish, persist, transition } from './job-lifecycle.ts';
import { budgetCommunity } from '../quota/cloud-budget.ts';
import { onOutcome } from './prompt-outcome.ts';
import type { JobRecord } from './types.ts';

/** Reads of a stored input image that fail (the store is away) before the dispatch counts as failed. */
const IMAGE_READS = 5;

/** Runs a job on the backend the pump chose: binds its input image, submits, and follows it to its end. */
export async function dispatch(ctx: EngineContext, job: JobRecord, backend: Backend): Promise<void> {
  const { o } = ctx;
  // Before the first await: the pump's next `canStart` must already see this job running.
  o.quota.started(job.id);
  const live = liveFor(ctx, job);
  o.hooks?.onWait?.(job, o.clock.now() - live.queuedAt);
  let handle: PromptHandle | undefined;
  try {
    handle = await critical(ctx, submit(ctx, job, backend));
  } catch (error) {
    if (isStop(error)) throw error;
    await onSubmitError(ctx, job, backend, error);
    return;
  }
  if (!handle) return;
  if (backend.cloud && job.remoteId !== handle.promptId) {
    // Before anything else: a restart from here on re-attaches the service's job instead of sending it again.
    job.remoteId = handle.promptId;
    await critical(ctx, persist(ctx, job));
  }
  // Canceled while POST /prompt was on its way: that cancel could not reach the prompt yet.
  if (live.cancelRequested) void cancelOn(ctx, backend, job, handle.promptId);
  await onOutcome(ctx, job, backend, await handle.done);
}

/**
 * Records the dispatch, then submits. A job dispatched to the backend it was last sent to keeps its
 * prompt id, so a prompt ComfyUI took while its answer was lost is found there, not run a second time.
 * Undefined when the job ended before it was submitted (canceled meanwhile, its input image gone).
 */
async function submit(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
): Promise<PromptHandle | undefined> {
  const { o } = ctx;
  const live = liveFor(ctx, job);
  const again = job.promptId !== undefined && job.backend === backend.name;
  const promptId = again ? job.promptId! : randomUUID();
  // On a v2 service the same attempt keeps its idempotency key: sent again, it is the same job there.
  const attempts = again && backend.cloud ? Math.max(1, job.attempts) : job.attempts + 1;
  const movedFrom = job.backend && job.backend !== backend.name ? job.backend : undefined;
  await transition(
    ctx,
    job,
    'dispatched',
    {
      backend: backend.name,
      promptId,
      attempts,
      waitNote: undefined,
      ...(again ? {} : { remoteId: undefined }),
      dispatchedAt: o.clock.now(),
      instance: o.instanceId,
    },
    movedFrom ? { movedFrom } : {},
  );
  if (live.cancelRequested) {
    o.quota.released(job.id);
    await finish(ctx, job, 'canceled', { error: { code: 'jobs.canceled' } });
    return undefined;
  }
  if (backend.budget && !again && !(await reserveBudget(ctx, job, backend))) return undefined;
  const workflow = await withInputImage(ctx, job, backend);
  if (!workflow) {
    // Counted against the budget above, never sent: given back.
    if (backend.budget && !again) o.budget.chargeJob(backend.name, budgetCommunity(job.owner), -1);
    o.quota.released(job.id);
    await finish(ctx, job, 'failed', { error: { code: 'jobs.inputImageMissing' } });
    return undefined;
  }
  return backend.client.submit(workflow as never, {
    promptId,
    mayExist: again,
    idempotencyKey: `${job.id}.${attempts}`,
    extraData: job.request.extraData,
    onEvent: (e) => onComfyEvent(ctx, job, e),
  });
}

/**
 * The job's workflow with its input image uploaded to this backend and named where it goes; undefined
 * when the image is no longer stored (nothing can bring it back).
 */
async function withInputImage(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
): Promise<Record<string, unknown> | undefined> {
  const image = job.request.inputImage;
  const targets = job.imageTargets ?? [];
  if (!image || targets.length === 0) return job.workflow;
  const bytes = await readStored(ctx, image.key);
  if (!bytes) return undefined;
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

/** An input image from the blob store, read again while the store fails (a restart), then the error. */
async function readStored(ctx: EngineContext, key: string): Promise<Uint8Array | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.o.blobs.get(key);
    } catch (error) {
      if (attempt >= IMAGE_READS) throw error;
      await sleep(ctx.o.clock, 200 * 2 ** attempt);
    }
  }
}
