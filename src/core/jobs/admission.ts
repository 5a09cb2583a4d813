import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { budgetRefusal } from './backend-choice.ts';
import { sleep } from './engine-clock.ts';
import { type EngineContext, getJob, isStop, liveFor } from './engine-context.ts';
import type { SubmitInput } from './engine-options.ts';
import { INTERRUPTED } from './interrupted-requests.ts';
import { newJobId } from './job-id.ts';
import { enqueue, save } from './job-lifecycle.ts';
import { type JobRecord, type JobRequest, ownerKey } from './types.ts';

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** How long a repeated event waits for the job its first delivery is creating before creating it itself. */
const CLAIM_WAIT_MS = 5000;
/** Tries of the first write of a job (about 3 s) before the person is told it could not be accepted. */
const ADMISSION_WRITES = 5;

/**
 * Accepts a job or says why not: claims its idempotency key, binds the workflow, checks a backend could
 * run it, admits it against quotas, persists it and queues it. Nothing is queued when the answer is an
 * error, and a quota admission is given back on every path that does not queue the job.
 */
export async function admit(ctx: EngineContext, input: SubmitInput): Promise<Result<JobRecord, UserMessage>> {
  try {
    return await admitOnce(ctx, input);
  } catch (error) {
    // The store or the quota counts did not answer (a Redis restart) even after a few tries: the person
    // is told, and nothing was queued or kept (an admission is given back by `admitOnce` itself).
    if (isStop(error)) return err({ code: 'jobs.shuttingDown' });
    ctx.o.log?.error({ err: String(error) }, 'job not accepted: storage unavailable');
    return err({ code: 'jobs.storageFailed' });
  }
}

async function admitOnce(ctx: EngineContext, input: SubmitInput): Promise<Result<JobRecord, UserMessage>> {
  const { o } = ctx;
  let id = newJobId();
  if (input.idempotencyKey) {
    const key = input.idempotencyKey;
    const existing = await retried(ctx, () => o.store.claim(key, id, IDEMPOTENCY_TTL_MS));
    // Told it was interrupted (its first process died before making its job): it stays so.
    if (existing === INTERRUPTED) return err({ code: 'jobs.interrupted' });
    // Our own claim, whose first answer was lost: it is ours.
    if (existing && existing !== id) {
      const earlier = await jobOfClaim(ctx, existing);
      if (earlier) return ok(earlier);
      // The first delivery of this event never stored its job (its process died, or storage failed):
      // this one creates it, under the same id.
      id = existing;
    }
  }
  const request: JobRequest = { ...input.request };
  if (input.inputImage) request.inputImage = { key: `input:${id}`, mime: input.inputImage.mime };
  const bound = o.bind(request, id);
  if (!bound.ok) return bound;
  const fit = o.pool.mightRun(bound.value.workflow);
  if (!fit.possible) {
    return err(fit.problems[0] ?? { code: 'jobs.noCapableBackend', params: { template: request.template } });
  }
  const overBudget = budgetRefusal(ctx, bound.value.workflow, input.requester);
  if (overBudget) return err(overBudget);
  const admitted = await retried(ctx, () => o.quota.admit(id, input.requester));
  if (!admitted.ok) {
    o.hooks?.onQuotaRefused?.(admitted.error.limit);
    return err(admitted.error.message);
  }
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
  try {
    const image = input.inputImage;
    const key = request.inputImage?.key;
    if (image && key) await retried(ctx, () => o.blobs.put(key, image.bytes));
    await save(ctx, job, undefined, ADMISSION_WRITES);
  } catch (error) {
    // Not stored, so never queued: its admission goes back now, or it would hold a slot for ever.
    ctx.jobs.delete(id);
    o.quota.released(id);
    if (isStop(error)) return err({ code: 'jobs.shuttingDown' });
    o.log?.error({ job: id, err: String(error) }, 'job not stored; admission given back');
    return err({ code: 'jobs.storageFailed' });
  }
  liveFor(ctx, job);
  if (input.idempotencyKey) void o.shared?.settleExpected(input.idempotencyKey).catch(() => {});
  await enqueue(ctx, job);
  ctx.pump();
  return ok(job);
}

/** Runs a store call again (a few times, over about 3 s) while it throws: Redis may be restarting. */
async function retried<T>(ctx: EngineContext, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= ADMISSION_WRITES || ctx.closed) throw error;
      await sleep(ctx.o.clock, 100 * 2 ** attempt);
    }
  }
}

/**
 * The job that already holds the idempotency key (a redelivered event gets the first one's job), once
 * its first delivery stored it; undefined when it never appears.
 */
async function jobOfClaim(ctx: EngineContext, jobId: string): Promise<JobRecord | undefined> {
  const end = ctx.o.clock.now() + CLAIM_WAIT_MS;
  for (;;) {
    const job = await getJob(ctx, jobId).catch(() => undefined);
    if (job) return job;
    if (ctx.o.clock.now() >= end) return undefined;
    await sleep(ctx.o.clock, 50);
  }
}
