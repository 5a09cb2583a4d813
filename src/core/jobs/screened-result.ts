import type { EngineContext } from './engine-context.ts';
import { persist } from './job-lifecycle.ts';
import type { JobResult } from './ports.ts';
import type { JobRecord } from './types.ts';

/**
 * The result with each visual file's safety decision, before the front end gets it. New decisions are
 * stored with the job before anything is posted: a delivery after a crash, or by the process that took
 * the job over, presents every file as this one decided, without classifying again. Only the decision is
 * stored (action, rule, scores), never the image or its blurred stand-in.
 */
export async function screened(ctx: EngineContext, job: JobRecord, result: JobResult): Promise<JobResult> {
  const screen = ctx.o.safety;
  if (!screen) return result;
  const { result: out, decisions } = await screen.screen(job, result);
  if (decisions) {
    job.safety = decisions;
    await persist(ctx, job);
  }
  return out;
}
