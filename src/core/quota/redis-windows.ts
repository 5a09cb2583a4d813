import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { WindowUsage } from './types.ts';
import { takeFromReservoir, type WindowCounter, type WindowCounterFactory } from './window-counter.ts';

/**
 * Counters shared by every process using the same Redis: Bottleneck clustering (`datastore: 'ioredis'`)
 * with one shared connection, a stable limiter `id` per counter, and `clearDatastore: false` so a
 * process that starts later joins the existing balance instead of resetting it.
 */
export function redisWindows(options: { url: string; prefix?: string }): WindowCounterFactory {
  const prefix = options.prefix ?? 'comfyrelay:quota';
  const client = new Redis(options.url);
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  const limiters = new Set<Bottleneck>();

  return {
    async open(id, limit, windowMs) {
      const limiterId = `${prefix}:${id}`;
      const limiter = new Bottleneck({
        id: limiterId,
        datastore: 'ioredis',
        clearDatastore: false,
        connection,
        reservoir: limit,
        reservoirRefreshAmount: limit,
        reservoirRefreshInterval: windowMs,
        // Idle counters expire from Redis; a full reservoir is what a new one starts with anyway.
        timeout: windowMs * 2,
      });
      limiters.add(limiter);
      try {
        await limiter.ready();
      } catch (error) {
        limiters.delete(limiter);
        await limiter.disconnect(false).catch(() => {});
        throw error;
      }
      // The balance lives in Redis; closing only stops this limiter's heartbeat and drops its pub/sub
      // channels (used by Bottleneck's job scheduling, which these counters never use). On a shared
      // connection `disconnect` returns before the unsubscribe is answered, hence `Promise.resolve`.
      let closing: Promise<void> | undefined;
      const close = () => {
        closing ??= Promise.resolve(limiter.disconnect(false)).finally(() => limiters.delete(limiter));
        return closing;
      };
      return redisWindow(limiter, client, limiterId, limit, windowMs, close);
    },
    async close() {
      await Promise.all([...limiters].map((limiter) => limiter.disconnect(false)));
      limiters.clear();
      await connection.disconnect();
    },
  };
}

function redisWindow(
  limiter: Bottleneck,
  client: Redis,
  limiterId: string,
  limit: number,
  windowMs: number,
  close: () => Promise<void>,
): WindowCounter {
  const increment = (by: number) => limiter.incrementReservoir(by);
  return {
    tryTake: (amount) => takeFromReservoir(increment, amount),
    async charge(amount) {
      await increment(-amount);
    },
    async refund(amount) {
      const left = await increment(amount);
      if (left > limit) await increment(limit - left);
    },
    async usage(): Promise<WindowUsage> {
      // currentReservoir runs Bottleneck's tick first, so a due refill has happened before we read the time.
      const left = (await limiter.currentReservoir()) ?? limit;
      // Bottleneck keeps the refill time in its settings hash and offers no API to read it.
      const last = Number(await client.hget(`b_${limiterId}_settings`, 'lastReservoirRefresh'));
      return { used: limit - left, limit, remaining: Math.max(0, left), resetsAt: last + windowMs };
    },
    close,
  };
}
