import {
  OutOfCreditsError,
  QueueFullError,
  type SubmitOutcomeUnknownError,
  UnauthorizedError,
} from '../../comfy/index.ts';
import type { Backend } from '../pool/backend.ts';
import { budgetCommunity } from '../quota/cloud-budget.ts';
import { cancelWanted } from './cancel.ts';
import type { EngineContext } from './engine-context.ts';
import { requeue } from './failover.ts';
import { finish, release } from './job-lifecycle.ts';
import type { JobRecord } from './types.ts';

/** A Comfy API v2 service's answer that nothing ran: out of credits, queue full, key refused. */
export function isRefusal(error: unknown): error is OutOfCreditsError | QueueFullError | UnauthorizedError {
  return (
    error instanceof OutOfCreditsError ||
    error instanceof QueueFullError ||
    error instanceof UnauthorizedError
  );
}

/**
 * A v2 service refused the job without running it. The backend refuses work on its own until the
 * service's pause ends (its `hasRoom` is false meanwhile), the budget gets the job back, and the job
 * waits for another backend; out of credits (or a refused key) with no other backend able to run it,
 * the person is told so at once. The next try is a new attempt, under a new idempotency key.
 */
export async function onRefusal(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
  error: OutOfCreditsError | QueueFullError | UnauthorizedError,
): Promise<void> {
  const { o } = ctx;
  o.log?.warn({ job: job.id, backend: backend.name, condition: error.backendState }, error.message);
  if (backend.budget) o.budget.chargeJob(backend.name, budgetCommunity(job.owner), -1);
  release(ctx, job);
  if (await cancelWanted(ctx, job)) {
    o.quota.released(job.id);
    await finish(ctx, job, 'canceled', { error: { code: 'jobs.canceled' } });
    return;
  }
  const others = o.pool.capable(job.workflow).filter((b) => b !== backend);
  if (!(error instanceof QueueFullError) && others.length === 0) {
    o.quota.released(job.id);
    const code = error instanceof OutOfCreditsError ? 'jobs.backendOutOfCredits' : 'jobs.backendKeyRefused';
    await finish(ctx, job, 'failed', { error: { code, params: { backend: backend.name } } });
    return;
  }
  await requeue(ctx, job, {
    startedAt: undefined,
    promptId: undefined,
    remoteId: undefined,
  });
}

/**
 * The service may have created the job but did not confirm it. It must not be sent under another key
 * or to another backend: it waits, and goes back to this backend alone, under the same key.
 */
export async function onOutcomeUnknown(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
  error: SubmitOutcomeUnknownError,
): Promise<void> {
  ctx.o.log?.warn({ job: job.id, backend: backend.name }, error.message);
  release(ctx, job);
  const others = ctx.o.pool.backends.filter((b) => b !== backend).map((b) => b.name);
  await requeue(ctx, job, { startedAt: undefined, avoid: others });
}
