import type { UserMessage } from '../../shared/i18n.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { sleep } from './engine-clock.ts';
import { type EngineContext, getJob, liveFor } from './engine-context.ts';
import type { SubmitInput } from './engine-options.ts';
import { newJobId } from './job-id.ts';
import { enqueue, save } from './job-lifecycle.ts';
import { type JobRecord, type JobRequest, ownerKey } from './types.ts';

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/**
 * Accepts a job or says why not: claims its idempotency key, binds the workflow, checks a backend could
 * run it, admits it against quotas, persists it and queues it. Nothing is queued when the answer is an error.
 */
export async function admit(ctx: EngineContext, input: SubmitInput): Promise<Result<JobRecord, UserMessage>> {
  const { o } = ctx;
  const id = newJobId();
  if (input.idempotencyKey) {
    const existing = await o.store.claim(input.idempotencyKey, id, IDEMPOTENCY_TTL_MS);
    if (existing) return jobOfClaim(ctx, existing);
  }
  const request: JobRequest = { ...input.request };
  if (input.inputImage) request.inputImage = { key: `input:${id}`, mime: input.inputImage.mime };
  const bound = o.bind(request, id);
  if (!bound.ok) return bound;
  const fit = o.pool.mightRun(bound.value.workflow);
  if (!fit.possible) {
    return err(fit.problems[0] ?? { code: 'jobs.noCapableBackend', params: { template: request.template } });
  }
  const admitted = await o.quota.admit(id, input.requester);
  if (!admitted.ok) {
    o.hooks?.onQuotaRefused?.(admitted.error.limit);
    return err(admitted.error.message);
  }
  if (input.inputImage && request.inputImage)
    await o.blobs.put(request.inputImage.key, input.inputImage.bytes);
  const now = o.clock.now();
  const job: JobRecord = {
    id,
    owner: input.requester,
    ownerKey: ownerKey(input.requester),
    request,
    seed: bound.value.seed,
    state: 'queued',
    workflow: bound.value.workflow,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    delivery: input.delivery,
    idempotencyKey: input.idempotencyKey,
    priority: admitted.value.priority,
    instance: o.instanceId,
    imageTargets: bound.value.imageTargets,
  };
  await save(ctx, job, undefined);
  liveFor(ctx, job);
  enqueue(ctx, job);
  ctx.pump();
  return ok(job);
}

/** The job that already holds the idempotency key (a redelivered event gets the first one's job). */
async function jobOfClaim(ctx: EngineContext, jobId: string): Promise<Result<JobRecord, UserMessage>> {
  // The first delivery may still be between its claim and its first save.
  for (let i = 0; i < 100; i++) {
    const job = await getJob(ctx, jobId);
    if (job) return ok(job);
    await sleep(ctx.o.clock, 20);
  }
  return err({ code: 'jobs.duplicate' });
}
