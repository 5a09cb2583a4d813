import type { ClockTimer } from './engine-clock.ts';
import type { EngineContext } from './engine-context.ts';
import { notify } from './job-lifecycle.ts';
import { position } from './queue-view.ts';

/** Transitions that come together (a job ends, the next starts) are answered with one round of updates. */
const GATHER_MS = 50;

/** What a waiting job's status says, coarsely: a new place, or an ETA that reads differently. */
function shownAs(place: number, etaMs: number | undefined): string {
  if (etaMs === undefined) return `${place}:?`;
  const s = etaMs / 1000;
  const step = s < 60 ? 5 : s < 600 ? 30 : 60;
  return `${place}:${Math.round(s / step)}`;
}

/**
 * Keeps what waiting jobs' status messages say true: after the queue moved (a job started, ended, was
 * canceled or queued ahead), each job of this process still waiting whose place or ETA no longer reads
 * as its last update said gets a new update, through the usual path (the pacer spaces and coalesces them
 * per chat, so a busy queue costs no more edits than the platform allows).
 */
export function refreshWaitingJobs(ctx: EngineContext): void {
  /** job → what its last update that went out said about its place. */
  const shown = new Map<string, string>();
  let timer: ClockTimer | undefined;
  ctx.updates.onUpdate((u) => {
    if (u.job.state === 'queued' && u.position !== undefined)
      shown.set(u.job.id, shownAs(u.position, u.etaMs));
    else shown.delete(u.job.id);
  });
  const refresh = () => {
    timer = undefined;
    if (ctx.closed || ctx.stopping) return;
    try {
      for (const job of ctx.jobs.values()) {
        if (job.state !== 'queued' || !job.delivery) continue;
        const place = position(ctx, job.id);
        if (place && shown.get(job.id) !== shownAs(place.position, place.etaMs)) notify(ctx, job);
      }
    } catch (error) {
      // A status that could not be refreshed is only late: the next queue move tries again.
      ctx.o.log?.warn({ err: String(error) }, 'waiting jobs not refreshed');
    }
  };
  ctx.updates.onTransition(() => {
    if (timer || ctx.closed) return;
    timer = ctx.o.clock.setTimeout(refresh, GATHER_MS);
    timer.unref?.();
  });
}
