import type { UserMessage } from '../../shared/i18n.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Backend } from '../pool/backend.ts';
import { type EngineContext, getJob, liveFor } from './engine-context.ts';
import { finish } from './job-lifecycle.ts';
import { isTerminal, type JobRecord, ownerKey, type Requester } from './types.ts';

/**
 * Cancels a job of the requester's own (or any, for an admin); another person's job is refused. A
 * waiting job ends at once; a running one ends when its backend reports the interruption.
 */
export async function cancel(
  ctx: EngineContext,
  id: string,
  by: Requester,
  opts: { admin?: boolean } = {},
): Promise<Result<JobRecord, UserMessage>> {
  const job = await getJob(ctx, id);
  if (!job) return err({ code: 'jobs.notFound', params: { id } });
  if (job.ownerKey !== ownerKey(by) && !opts.admin) return err({ code: 'jobs.notYours' });
  if (isTerminal(job.state)) return ok(job);
  liveFor(ctx, job).cancelRequested = true;
  if (job.state === 'queued') {
    ctx.o.queue.remove(job.id);
    ctx.o.quota.released(job.id);
    await finish(ctx, job, 'canceled', { error: { code: 'jobs.canceled' } });
    return ok(job);
  }
  if (job.state === 'delivering') return ok(job);
  const backend = job.backend ? ctx.o.pool.get(job.backend) : undefined;
  if (backend && job.promptId) await cancelOn(ctx, backend, job, job.promptId);
  return ok(job);
}

/** Asks the backend to stop the job's prompt; a failure is only logged. */
export async function cancelOn(
  ctx: EngineContext,
  backend: Backend,
  job: JobRecord,
  promptId: string,
): Promise<void> {
  try {
    await backend.client.cancel(promptId);
  } catch (error) {
    ctx.o.log?.warn({ job: job.id, err: String(error) }, 'cancel on backend failed');
  }
}
