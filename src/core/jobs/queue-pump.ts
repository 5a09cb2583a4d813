import type { Backend } from '../pool/backend.ts';
import { chooseBackend } from './backend-choice.ts';
import { dispatch } from './dispatch.ts';
import type { EngineContext } from './engine-context.ts';
import { sharedPump } from './cluster-pump.ts';

/**
 * The queue pump: hands waiting jobs to backends with room, fairly, until none fits. A call made while
 * it runs (a job finished meanwhile) makes it go round once more instead of running twice at once.
 * In shared mode the fair order and the backends' room are every process's (`shared-pump.ts`).
 */
export function queuePump(ctx: EngineContext): () => void {
  if (ctx.o.shared) return sharedPump(ctx, ctx.o.shared);
  let pumping = false;
  let again = false;
  return () => {
    if (ctx.stopping) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        dispatchWhileRoom(ctx);
      } while (again);
    } finally {
      pumping = false;
    }
  };
}

function dispatchWhileRoom(ctx: EngineContext): void {
  const { pool, queue, quota } = ctx.o;
  for (;;) {
    // Nothing can be dispatched while every backend is full: don't scan the whole queue for nothing.
    if (!pool.backends.some((b) => b.healthy && b.hasRoom)) return;
    let chosen: Backend | undefined;
    const id = queue.next((candidate) => {
      const job = ctx.jobs.get(candidate);
      if (!job) return true;
      if (!quota.canStart(candidate)) return false;
      chosen = chooseBackend(ctx, job);
      return chosen !== undefined;
    });
    if (!id) return;
    const job = ctx.jobs.get(id);
    if (!job || !chosen) continue;
    chosen.jobs.add(job.id);
    ctx.track(dispatch(ctx, job, chosen));
  }
}
