import type { Backend } from '../../pool/backend.ts';
import { budgetCommunity, type BudgetHit } from '../../quota/cloud-budget.ts';
import { localWaitMs, noteBudget } from '../backend-choice.ts';
import type { SharedJobs, TakenJob } from '../cluster-jobs.ts';
import { type EngineContext, getJob } from '../engine-context.ts';
import type { JobRecord } from '../types.ts';

/** Waiting jobs looked at, from the head of the line, for one that its wait sends to the cloud. */
const LOOK_AHEAD = 32;

/**
 * Shared mode's overflow, under the rule of `chooseBackend`: when this process's local backends took
 * nothing more, the first waiting job (fair order, every process's line) that every local capable
 * backend would keep waiting past an overflow backend's threshold goes to that backend, if its budget
 * (as last read) has room. The budget is then reserved atomically when the job is sent (`reserveBudget`).
 */
export async function takeOverflow(
  ctx: EngineContext,
  shared: SharedJobs,
  platforms: readonly string[],
): Promise<TakenJob | undefined> {
  const { pool, budget } = ctx.o;
  if (!shared.takeJob || !shared.backendJobs) return undefined;
  const overflow = pool.backends.filter((b) => b.overflow && b.healthy && b.refusingUntil === undefined);
  if (overflow.length === 0) return undefined;
  const waiting = shared
    .waiting()
    .slice(0, LOOK_AHEAD)
    .filter((e) => e.platform === '' || platforms.includes(e.platform));
  if (waiting.length === 0) return undefined;
  const jobsOn = await shared.backendJobs(pool.backends.filter((b) => !b.overflow).map((b) => b.name));
  for (const entry of waiting) {
    if (ctx.stopping) return undefined;
    const ready = overflow.filter((b) => !entry.incapable.includes(b.name) && !entry.avoid.includes(b.name));
    if (ready.length === 0) continue;
    const job = await loadWaiting(ctx, entry.id);
    if (!job) continue;
    const capable = pool.capable(job.workflow);
    const position = shared.position(entry.id) ?? 0;
    const wait = localWaitMs(ctx, job, { position, queuedAt: entry.queuedAt, jobsOn });
    let hit: BudgetHit | undefined;
    for (const b of byLoad(ready, jobsOn)) {
      if (!capable.includes(b) || wait <= b.overflow!.afterWaitMs) continue;
      const refused = budget.refusal(b.name, b.budget, budgetCommunity(job.owner));
      if (refused) {
        hit ??= refused;
        continue;
      }
      const offer = { name: b.name, capacity: b.capacity, weight: b.weight };
      const taken = await shared.takeJob(platforms, entry.id, offer);
      if (taken) return taken;
    }
    if (hit && ctx.live.has(job.id)) noteBudget(ctx, job, hit);
  }
  return undefined;
}

async function loadWaiting(ctx: EngineContext, id: string): Promise<JobRecord | undefined> {
  try {
    const job = await getJob(ctx, id);
    return job?.state === 'queued' ? job : undefined;
  } catch {
    return undefined;
  }
}

function byLoad(backends: Backend[], jobsOn: ReadonlyMap<string, readonly string[]>): Backend[] {
  const load = (b: Backend) => (jobsOn.get(b.name)?.length ?? b.jobs.size) / b.weight;
  return [...backends].sort((x, y) => load(x) - load(y));
}
