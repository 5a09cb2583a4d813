import { workOf } from '../scheduler/duration-estimator.ts';
import type { EngineContext } from './engine-context.ts';

export interface QueueSnapshot {
  waiting: number;
  running: number;
  backends: { name: string; healthy: boolean; jobs: number }[];
}

/**
 * Queue position (0 = next) and ETA of a waiting job: the measured time of its template scaled by its
 * work (steps, size, batch), for the jobs ahead (taken as like it) and itself, plus what the running jobs
 * have left, shared by the healthy backends. No ETA (`etaMs` absent: "estimating") until its template ran.
 */
export function position(ctx: EngineContext, id: string): { position: number; etaMs?: number } | undefined {
  const { queue, pool, durations, shared, clock } = ctx.o;
  const job = ctx.jobs.get(id);
  const place = shared ? shared.position(id) : queue.position(id);
  if (!job || place === undefined) return undefined;
  const own = durations.measured?.(job.request.template, workOf(job.workflow));
  if (own === undefined) return { position: place };
  const backends = Math.max(1, pool.backends.filter((b) => b.healthy).length);
  let running = 0;
  for (const b of pool.backends) {
    for (const jobId of b.jobs) {
      const other = ctx.jobs.get(jobId);
      const left = ctx.live.get(jobId)?.progress?.etaMs;
      const full = other ? durations.measured?.(other.request.template, workOf(other.workflow)) : undefined;
      const elapsed = other?.startedAt ? clock.now() - other.startedAt : 0;
      running += Math.max(0, left ?? (full ?? own) - elapsed);
    }
  }
  return { position: place, etaMs: Math.round((place * own + running) / backends + own) };
}

export function queueSnapshot(ctx: EngineContext): QueueSnapshot {
  const { queue, pool, shared } = ctx.o;
  return {
    waiting: shared ? shared.waiting().length : queue.size,
    running: pool.backends.reduce((n, b) => n + b.jobs.size, 0),
    backends: pool.backends.map((b) => ({ name: b.name, healthy: b.healthy, jobs: b.jobs.size })),
  };
}
