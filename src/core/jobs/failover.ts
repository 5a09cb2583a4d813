import { ComfyUnreachableError, ComfyValidationError, SubmitOutcomeUnknownError } from '../../comfy/index.ts';
import type { Backend } from '../pool/backend.ts';
import { cancelWanted } from './cancel.ts';
import { isRefusal, onOutcomeUnknown, onRefusal } from './cloud-refusal.ts';
import type { EngineContext } from './engine-context.ts';
import { enqueue, finish, notify, release, save } from './job-lifecycle.ts';
import { queueEntry } from './queue-entry.ts';
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
  if (isRefusal(error)) return onRefusal(ctx, job, backend, error);
  if (error instanceof SubmitOutcomeUnknownError) return onOutcomeUnknown(ctx, job, backend, error);
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
  if (await cancelWanted(ctx, job)) {
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
  const avoid = new Set([...(job.avoid ?? []), backend.name]);
  if (avoid.size >= o.pool.backends.length) avoid.clear();
  // The job keeps its admission (and its running slot) for the retry: it is not charged twice.
  await requeue(ctx, job, { startedAt: undefined, avoid: [...avoid] });
}

/**
 * Puts a job this process handled back in line (after a loss, or taken over while queued). In shared
 * mode it leaves this process: whichever takes it next handles it, its hold with it.
 */
export async function requeue(
  ctx: EngineContext,
  job: JobRecord,
  patch: Partial<JobRecord> = {},
): Promise<void> {
  const from = job.state;
  Object.assign(job, patch, { state: 'queued' });
  await save(ctx, job, from);
  const shared = ctx.o.shared;
  if (!shared) {
    await enqueue(ctx, job);
    ctx.pump();
    return;
  }
  await shared.requeue(queueEntry(ctx, job));
  notify(ctx, job);
  ctx.jobs.delete(job.id);
  ctx.live.delete(job.id);
  ctx.o.quota.forget?.(job.id);
}
