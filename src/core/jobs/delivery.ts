import { sleep } from './engine-clock.ts';
import { type EngineContext, getJob, LeaseLostError } from './engine-context.ts';
import { finish, persist, release } from './job-lifecycle.ts';
import { readResult } from './read-result.ts';
import { screened } from './screened-result.ts';
import type { JobRecord } from './types.ts';

/**
 * Hands a finished job's result to its front end, retrying with backoff; `deliver` is idempotent per job,
 * so a crash mid-way delivers again after a restart (or in the process that takes the job over).
 */
export async function deliver(ctx: EngineContext, job: JobRecord): Promise<void> {
  const { o } = ctx;
  const fe = ctx.updates.frontEndOf(job);
  const backend = job.backend ? o.pool.get(job.backend) : undefined;
  if (job.delivery && !fe) {
    // Its front end is not running in this process: leave it for one that has it.
    o.log?.warn(
      { job: job.id, platform: job.delivery.platform },
      'no front end to deliver to; kept for later',
    );
    release(ctx, job);
    if (o.shared) {
      ctx.jobs.delete(job.id);
      await o.shared.handOff(job.id);
    }
    ctx.pump();
    return;
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < o.deliveryAttempts; attempt++) {
    try {
      const read = backend ? await readResult(backend.client, job.outputs ?? []) : { files: [], texts: [] };
      const result = await screened(ctx, job, read);
      // Taken over meanwhile (this process was cut off longer than its lease): the other one delivers.
      // Checked with a round trip, which also waits out a Redis restart: what the front end sends, it
      // must be able to record right after.
      if (ctx.live.get(job.id)?.abandoned || (o.shared && !(await o.shared.confirmHeld(job.id))))
        throw new LeaseLostError(job.id);
      if (fe) await fe.deliver(job, result);
      await finish(ctx, job, 'succeeded', { deliveredAt: fe ? o.clock.now() : undefined });
      return;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      lastError = error;
      o.log?.warn({ job: job.id, attempt, err: String(error) }, 'delivery failed');
      await sleep(o.clock, Math.min(30_000, 500 * 2 ** attempt));
    }
  }
  await finish(ctx, job, 'failed', {
    error: {
      code: 'jobs.deliveryFailed',
      params: { reason: lastError instanceof Error ? lastError.message : String(lastError) },
    },
  });
}

/**
 * Records where a front end shows the job (the status message it sent), so updates and the result
 * reach the same place after a restart. In shared mode the job may be handled by another process at
 * this moment: the fields go beside the record, for whichever process handles it.
 */
export async function updateDelivery(
  ctx: EngineContext,
  id: string,
  patch: Record<string, unknown>,
): Promise<JobRecord | undefined> {
  // The copy this process handles is current (patches from elsewhere are merged as they come).
  const job = ctx.jobs.get(id) ?? (await getJob(ctx, id));
  if (!job?.delivery) return job;
  const { platform: _, ...fields } = patch;
  job.delivery = { ...job.delivery, ...fields, platform: job.delivery.platform };
  // Shared mode: one write beside the record, read by whichever process handles the job (and merged
  // into the record at its next write). A front end records what it just sent: the sooner, the safer.
  if (ctx.o.shared) await ctx.o.shared.patchDelivery(id, fields);
  else await persist(ctx, job);
  return job;
}

/** Marks a finished job's result as deleted (its message was removed). */
export async function markDeleted(ctx: EngineContext, id: string): Promise<JobRecord | undefined> {
  const job = await getJob(ctx, id);
  if (!job) return undefined;
  job.deletedAt = ctx.o.clock.now();
  await persist(ctx, job);
  return job;
}
