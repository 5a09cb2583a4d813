import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isTerminal, type JobRecord, ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { tooMany } from './errors.ts';
import type { JobEvent } from './event-log.ts';
import { v2Output } from './to-v2.ts';

/**
 * Runs a request that may stay open until jobs end (`?wait=true`, `?stream=true`) holding one of the
 * key's stream slots, taken before any job is made: a key holds at most `http.limits.streamsPerKey`
 * open requests of either kind. A stream started by `run` adopts the slot and frees it when it ends.
 */
export async function holdingStreamSlot(c: Context<Env>, run: () => Promise<Response>): Promise<Response> {
  const { streams, limits } = c.var.guards;
  const release = streams.acquire(ownerKey(c.var.requester));
  if (!release) return tooMany(c, 5, { code: 'http.rate.streams', params: { limit: limits.streamsPerKey } });
  c.set('streamSlot', release);
  try {
    return await run();
  } finally {
    if (c.var.streamSlot === release) release();
  }
}

/**
 * Streams a job's events as SSE with ids: what the client missed (per `Last-Event-ID`) first, then live
 * events, ending after the terminal status. `extra` may add a last event (the relay's `result`).
 */
export function streamJob(
  c: Context<Env>,
  job: JobRecord,
  extra?: () => Promise<{ event: string; data: unknown }>,
): Response {
  const { events, assets } = c.var.deps;
  const { streams, limits } = c.var.guards;
  const release = c.var.streamSlot ?? streams.acquire(ownerKey(c.var.requester));
  if (!release) return tooMany(c, 5, { code: 'http.rate.streams', params: { limit: limits.streamsPerKey } });
  c.set('streamSlot', undefined);
  const header = c.req.header('last-event-id') ?? c.req.query('last_event_id');
  const lastId = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
  c.header('Cache-Control', 'no-cache');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const queue: JobEvent[] = [];
    let wake: (() => void) | undefined;
    const stop = events.listen(job.id, (e) => {
      queue.push(e);
      wake?.();
    });
    const aborted = new Promise<void>((r) => stream.onAbort(() => r()));
    const keepalive = setInterval(() => void stream.write(': keepalive\n\n').catch(() => undefined), 15_000);
    try {
      const seen = new Set<number>();
      const send = async (e: JobEvent) => {
        if (seen.has(e.id)) return;
        seen.add(e.id);
        await stream.writeSSE({ id: String(e.id), event: e.event, data: JSON.stringify(e.data) });
      };
      let replay = events.replay(job.id, lastId);
      if (replay.length === 0 && !events.has(job.id) && isTerminal(job.state)) {
        // After a restart the history is gone: a snapshot of the end.
        const outputs = job.state === 'succeeded' ? await assets.forJob(job.id) : [];
        replay = [
          ...outputs.map((a, i) => ({
            id: i + 1,
            event: 'output' as const,
            data: v2Output(a, c.var.origin),
          })),
          { id: outputs.length + 1, event: 'status', data: { status: job.state, queue_position: null } },
        ];
      } else if (replay.length === 0 && lastId === undefined) {
        await stream.writeSSE({
          event: 'status',
          data: JSON.stringify({ status: 'queued', queue_position: null }),
        });
      }
      let ended = false;
      for (const e of replay) {
        await send(e);
        if (e.event === 'status' && isTerminal(String(e.data['status']) as JobRecord['state'])) ended = true;
      }
      ended ||= events.isTerminal(job.id) && queue.length === 0;
      while (!ended && !stream.aborted) {
        const e = queue.shift();
        if (!e) {
          await Promise.race([new Promise<void>((r) => (wake = r)), aborted]);
          continue;
        }
        await send(e);
        if (e.event === 'status' && isTerminal(String(e.data['status']) as JobRecord['state'])) ended = true;
      }
      if (extra && !stream.aborted) {
        const last = await extra();
        await stream.writeSSE({ event: last.event, data: JSON.stringify(last.data) });
      }
    } finally {
      clearInterval(keepalive);
      stop();
      release();
    }
  });
}
