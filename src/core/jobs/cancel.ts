import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { Backend } from '../pool/backend.ts';
import { type EngineContext, getJob, liveFor } from './engine-context.ts';
import { finish } from './job-lifecycle.ts';
import { isTerminal, type JobRecord, ownerKey, type Requester } from './types.ts';

/**
 * Cancels a job of the requester's own (or any, for an admin); another person's job is refused. A
 * waiting job ends at once; a running one ends when its backend reports the interruption. In shared
 * mode the job may be another process's: the cancel reaches that process and the job's backend.
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
  const shared = ctx.o.shared;
  if (job.state === 'queued' && (shared ? await shared.remove(id) : true)) {
    liveFor(ctx, job).cancelRequested = true;
    if (shared) ctx.o.quota.adopt?.([job]);
    else ctx.o.queue.remove(job.id);
    ctx.o.quota.released(job.id);
    ctx.jobs.set(job.id, job);
    await finish(ctx, job, 'canceled', { error: { code: 'jobs.canceled' } });
    return ok(job);
  }
  // Taken (here or elsewhere) or running: whoever handles it hears the cancel, now or when it takes it.
  await shared?.requestCancel(id);
  const handled = ctx.jobs.get(id);
  if (handled) liveFor(ctx, handled).cancelRequested = true;
  if (job.state === 'delivering') return ok(job);
  // The freshest record says where it runs: this process's client for that backend stops the prompt.
  const current = (shared && !handled ? await ctx.o.store.get(id) : undefined) ?? handled ?? job;
  const backend = current.backend ? ctx.o.pool.get(current.backend) : undefined;
  const remoteId = current.remoteId ?? current.promptId;
  if (backend && remoteId) await cancelOn(ctx, backend, current, remoteId);
  return ok(current);
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

/** Whether the job's cancel was asked, here or (shared mode) in any process. */
export async function cancelWanted(ctx: EngineContext, job: JobRecord): Promise<boolean> {
  const live = liveFor(ctx, job);
  if (!live.cancelRequested && (await ctx.o.shared?.isCancelRequested(job.id).catch(() => false)))
    live.cancelRequested = true;
  return live.cancelRequested === true;
}
