import type { EngineContext } from './engine-context.ts';
import type { DeliveryTarget } from './types.ts';

/** What holds an idempotency key whose request was told it was interrupted: no job may take it after. */
export const INTERRUPTED = '~interrupted';
/** A Discord interaction can be answered for 15 minutes. */
const EXPECTED_TTL_MS = 15 * 60_000;

/**
 * Shared mode: a request a front end has answered "working on it" before its job exists is recorded,
 * until the front end is done with it (`fulfilled`). Local mode: nothing to do (the process that would
 * die is the only one).
 */
export async function expect(ctx: EngineContext, key: string, target: DeliveryTarget): Promise<void> {
  await ctx.o.shared?.expect(key, target, EXPECTED_TTL_MS);
}

export async function fulfilled(ctx: EngineContext, key: string): Promise<void> {
  await ctx.o.shared?.settleExpected(key);
}

/**
 * Requests recorded long ago whose process died before it made their job: each one's key is taken (so no
 * late job can use it) and its front end tells the person it was interrupted. One process does each.
 */
export async function tellInterrupted(ctx: EngineContext): Promise<void> {
  const shared = ctx.o.shared;
  if (!shared || ctx.stopping) return;
  for (const request of await shared.expectedBefore(ctx.o.interruptedAfterMs)) {
    const fe = ctx.frontEnds.get(request.target.platform);
    if (!fe?.interrupted) continue;
    const holder = await ctx.o.store.claim(request.key, INTERRUPTED, EXPECTED_TTL_MS);
    // Its process may have died between claiming the key for a job id and storing that job: the key
    // then names a job that does not exist, and nobody else would ever answer the person.
    const orphaned = holder !== undefined && holder !== INTERRUPTED && !(await ctx.o.store.get(holder));
    if (holder === undefined || orphaned) {
      ctx.o.log?.warn({ request: request.key }, 'request interrupted before its job was made; telling');
      // Not answered at all (it died before that): the platform itself says it failed.
      await fe
        .interrupted(request.target as DeliveryTarget, { code: 'jobs.interrupted' })
        .catch((error) => ctx.o.log?.warn({ request: request.key, err: String(error) }, 'could not tell'));
    }
    await shared.settleExpected(request.key);
  }
}
