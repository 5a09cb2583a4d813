import type { UserMessage } from '#shared/i18n.ts';
import type { Backend } from '../pool/backend.ts';
import { budgetCommunity, type BudgetHit } from '../quota/cloud-budget.ts';
import { workOf } from '../scheduler/duration-estimator.ts';
import type { EngineContext } from './engine-context.ts';
import { requeue } from './failover.ts';
import { notify, release } from './job-lifecycle.ts';
import type { JobRecord } from './types.ts';

/**
 * Where a waiting job goes now: the least-loaded local backend with room; else an overflow backend
 * (Comfy Cloud) when every local backend that could run it would keep it waiting longer than that
 * backend's `afterWaitSeconds`, and only within its budget. Undefined: it waits. A budget that stops
 * it is noted on the job (the person is told which limit).
 */
export function chooseBackend(ctx: EngineContext, job: JobRecord): Backend | undefined {
  const { pool, budget } = ctx.o;
  const exclude = job.avoid ? new Set(job.avoid) : undefined;
  const local = pool.pick(job.workflow, exclude);
  if (local) return local;
  const overflow = pool.backends.filter(
    (b) =>
      b.overflow && b.healthy && b.hasRoom && !exclude?.has(b.name) && pool.capable(job.workflow).includes(b),
  );
  if (overflow.length === 0) return undefined;
  const wait = localWaitMs(ctx, job);
  const community = budgetCommunity(job.owner);
  let hit: BudgetHit | undefined;
  for (const b of overflow.sort((x, y) => x.load - y.load)) {
    if (wait <= b.overflow!.afterWaitMs) continue;
    const refused = budget.refusal(b.name, b.budget, community);
    if (!refused) return b;
    hit ??= refused;
  }
  if (hit) noteBudget(ctx, job, hit);
  return undefined;
}

/** The shared queue's view of a waiting job in shared mode: its place, when it was queued, every process's load. */
export interface SharedWaitView {
  position: number;
  queuedAt: number;
  /** The jobs on each backend, from every process. */
  jobsOn: ReadonlyMap<string, readonly string[]>;
}

/**
 * How long the job would still wait for the soonest local backend that could run it (Infinity when
 * none could), plus what it waited already: each backend's running and queued jobs' time left, and
 * the jobs ahead of it in line, shared by those backends. Times come from the measured durations
 * (the queue's own ETA), the template's default before any run. In shared mode (`view`) the line and
 * the backends' jobs are every process's; a job another process runs counts as one like this one.
 */
export function localWaitMs(ctx: EngineContext, job: JobRecord, view?: SharedWaitView): number {
  const { pool, durations, clock, queue } = ctx.o;
  const locals = pool.capableLocal(job.workflow);
  if (locals.length === 0) return Number.POSITIVE_INFINITY;
  const timeOf = (j: JobRecord) =>
    durations.measured?.(j.request.template, workOf(j.workflow)) ?? durations.estimate(j.request.template);
  const own = timeOf(job);
  const position = view
    ? view.position
    : ((ctx.o.shared ? ctx.o.shared.position(job.id) : queue.position(job.id)) ?? 0);
  const queuedAt = view?.queuedAt ?? ctx.live.get(job.id)?.queuedAt ?? clock.now();
  const waited = Math.max(0, clock.now() - queuedAt);
  let soonest = Number.POSITIVE_INFINITY;
  for (const b of locals) {
    let busy = 0;
    for (const id of view?.jobsOn.get(b.name) ?? b.jobs) {
      const other = ctx.jobs.get(id);
      if (!other) {
        if (view) busy += own;
        continue;
      }
      const left = ctx.live.get(id)?.progress?.etaMs;
      const elapsed = other.startedAt ? clock.now() - other.startedAt : 0;
      busy += Math.max(0, left ?? timeOf(other) - elapsed);
    }
    soonest = Math.min(soonest, busy);
  }
  return waited + soonest + (position * own) / locals.length;
}

/** The message that names a budget limit, for the person whose job it stopped. */
export function budgetMessage(hit: BudgetHit): UserMessage {
  return {
    code: `jobs.cloudBudget.${hit.scope}.${hit.limit}`,
    params: {
      backend: hit.backend,
      limit: hit.limit,
      max: hit.max,
      resets: new Date(hit.resetsAt).toISOString().slice(0, 16).replace('T', ' '),
    },
  };
}

/**
 * The one place a job is counted against an overflow backend's budget, right before it is sent: checked
 * and counted at once (over every process in shared mode). Refused (others spent the rest meanwhile), the
 * job waits again with the limit noted; false then.
 */
export async function reserveBudget(ctx: EngineContext, job: JobRecord, backend: Backend): Promise<boolean> {
  const { budget, log } = ctx.o;
  const hit = await budget.reserve(backend.name, backend.budget, budgetCommunity(job.owner));
  if (!hit) return true;
  log?.info({ job: job.id, backend: backend.name, limit: hit.limit }, 'overflow budget spent at send');
  release(ctx, job);
  const note = budgetMessage(hit);
  const live = ctx.live.get(job.id);
  if (live) live.note = note;
  await requeue(ctx, job, { waitNote: note, startedAt: undefined, promptId: undefined, remoteId: undefined });
  return false;
}

/** Tells the person waiting that an overflow backend's budget is what keeps their job waiting. */
export function noteBudget(ctx: EngineContext, job: JobRecord, hit: BudgetHit): void {
  const live = ctx.live.get(job.id);
  if (!live || (live.note?.params?.['limit'] === hit.limit && live.note.params['backend'] === hit.backend))
    return;
  live.note = budgetMessage(hit);
  job.waitNote = live.note;
  ctx.o.log?.info(
    { job: job.id, backend: hit.backend, limit: hit.limit, scope: hit.scope },
    'overflow budget spent',
  );
  // Told once the pump is done, with the job's place in line.
  queueMicrotask(() => {
    if (job.state === 'queued') notify(ctx, job);
  });
}

/**
 * At admission: the job could only go to overflow backends (no local one can run it) and every one of
 * them is out of budget for this requester. The person is told which limit, and nothing is queued.
 */
export function budgetRefusal(
  ctx: EngineContext,
  workflow: Record<string, unknown>,
  requester: { platform: string; communityId?: string },
): UserMessage | undefined {
  const { pool, budget } = ctx.o;
  if (pool.capableLocal(workflow).length > 0) return undefined;
  const overflow = pool.capable(workflow).filter((b) => b.overflow);
  if (overflow.length === 0) return undefined;
  let hit: BudgetHit | undefined;
  for (const b of overflow) {
    const refused = budget.refusal(b.name, b.budget, budgetCommunity(requester));
    if (!refused) return undefined;
    hit ??= refused;
  }
  const { params } = budgetMessage(hit!);
  return { code: 'jobs.cloudBudgetNoLocal', params: { ...params, scopeName: hit!.scope } };
}
