import { ComfyUnreachableError, ComfyValidationError } from '../../comfy/index.ts';
import type { Backend } from '../pool/backend.ts';
import { type EngineContext, liveFor } from './engine-context.ts';
import { enqueue, finish, release, transition } from './job-lifecycle.ts';
import type { JobRecord } from './types.ts';

/** A submit that failed: ComfyUI refused the workflow (the job fails), or the backend is unreachable. */
export async function onSubmitError(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
  error: unknown,
): Promise<void> {
  if (error instanceof ComfyValidationError) {
    ctx.o.quota.released(job.id);
    const details = error.issues.map((i) => i.reason).join('; ');
    await finish(ctx, job, 'failed', {
      error: { code: 'jobs.rejectedByComfy', params: { details: error.message || details } },
    });
    return;
  }
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof ComfyUnreachableError) ctx.o.pool.markUnhealthy(backend, reason);
  await retryElsewhere(ctx, job, backend, reason);
}

/**
 * The job's backend lost it: queue it again for another backend, unless it was canceled or has used
 * its attempts.
 */
export async function retryElsewhere(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
  reason: string,
): Promise<void> {
  const { o } = ctx;
  o.log?.warn({ job: job.id, backend: backend.name, reason }, 'job lost on backend');
  release(ctx, job);
  const live = liveFor(ctx, job);
  if (live.cancelRequested) {
    o.quota.released(job.id);
    await finish(ctx, job, 'canceled', { error: { code: 'jobs.canceled' } });
    return;
  }
  if (job.attempts >= o.maxAttempts) {
    o.quota.released(job.id);
    await finish(ctx, job, 'failed', {
      error: { code: 'jobs.backendLost', params: { attempts: job.attempts } },
    });
    return;
  }
  live.excluded.add(backend.name);
  if (live.excluded.size >= o.pool.backends.length) live.excluded.clear();
  // The job keeps its admission (and its running slot) for the retry: it is not charged twice.
  await transition(ctx, job, 'queued', { startedAt: undefined });
  enqueue(ctx, job);
  ctx.pump();
}
