import type { EngineContext } from './engine-context.ts';

export interface QueueSnapshot {
  waiting: number;
  running: number;
  backends: { name: string; healthy: boolean; jobs: number }[];
}

/** Queue position (0 = next) and ETA of a waiting job. */
export function position(ctx: EngineContext, id: string): { position: number; etaMs: number } | undefined {
  const { queue, pool, durations, shared } = ctx.o;
  const job = ctx.jobs.get(id);
  const place = shared ? shared.position(id) : queue.position(id);
  if (!job || place === undefined) return undefined;
  const backends = Math.max(1, pool.backends.filter((b) => b.healthy).length);
  const per = durations.estimate(job.request.template);
  const running = pool.backends.reduce((n, b) => n + b.jobs.size, 0);
  return { position: place, etaMs: Math.round(((place + running / backends) * per) / backends + per) };
}

export function queueSnapshot(ctx: EngineContext): QueueSnapshot {
  const { queue, pool, shared } = ctx.o;
  return {
    waiting: shared ? shared.waiting().length : queue.size,
    running: pool.backends.reduce((n, b) => n + b.jobs.size, 0),
    backends: pool.backends.map((b) => ({ name: b.name, healthy: b.healthy, jobs: b.jobs.size })),
  };
}
