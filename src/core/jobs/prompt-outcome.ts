import type { PromptOutcome } from '../../comfy/index.ts';
import type { Backend } from '../pool/backend.ts';
import { budgetCommunity } from '../quota/cloud-budget.ts';
import { workOf } from '../scheduler/duration-estimator.ts';
import { deliver } from './delivery.ts';
import { cancelWanted } from './cancel.ts';
import { critical, type EngineContext } from './engine-context.ts';
import { retryElsewhere } from './failover.ts';
import { failureMessage } from './failure-message.ts';
import { finish, release, transition } from './job-lifecycle.ts';
import type { JobRecord, StoredOutput } from './types.ts';

/** How the prompt ended on its backend decides the job's next state: delivering, failed, canceled, retried. */
export async function onOutcome(
  ctx: EngineContext,
  job: JobRecord,
  backend: Backend,
  outcome: PromptOutcome,
): Promise<void> {
  const { o } = ctx;
  const ranMs = job.startedAt ? o.clock.now() - job.startedAt : 0;
  if (backend.budget) o.budget.chargeGpu(backend.name, budgetCommunity(job.owner), ranMs / 1000);
  switch (outcome.type) {
    case 'succeeded': {
      o.quota.finished(job.id, ranMs);
      // An overflow backend's run times say nothing of how long the local GPUs keep a job waiting.
      if (!backend.overflow)
        o.durations.record(job.request.template, backend.name, ranMs, workOf(job.workflow));
      o.hooks?.onRun?.(job, ranMs);
      const outputs: StoredOutput[] = outcome.outputs.map((out) => ({
        node: out.node,
        kind: out.kind,
        filename: out.file?.filename,
        subfolder: out.file?.subfolder,
        type: out.file?.type,
        text: out.text,
      }));
      await transition(ctx, job, 'delivering', { outputs, finishedAt: o.clock.now() });
      // The GPU is free for the next job while the result is on its way to its owner.
      release(ctx, job);
      await o.shared?.occupy(job.id, undefined);
      ctx.pump();
      await critical(ctx, deliver(ctx, job));
      return;
    }
    case 'failed':
      o.quota.finished(job.id, ranMs);
      await finish(ctx, job, 'failed', { error: failureMessage(outcome.error) });
      return;
    case 'unreadable':
      o.quota.finished(job.id, ranMs);
      await finish(ctx, job, 'failed', {
        error: { code: 'jobs.resultUnreadable', params: { reason: outcome.reason } },
      });
      return;
    case 'interrupted':
    case 'canceled':
      o.quota.finished(job.id, ranMs);
      if (await cancelWanted(ctx, job)) {
        await finish(ctx, job, 'canceled', { error: { code: 'jobs.canceled' } });
      } else {
        await finish(ctx, job, 'failed', { error: { code: 'jobs.interruptedByOperator' } });
      }
      return;
    case 'lost':
      await retryElsewhere(ctx, job, backend, outcome.reason);
      return;
  }
}
