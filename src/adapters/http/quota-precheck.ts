import type { Context } from 'hono';
import { refusal } from '../../core/quota/refusal.ts';
import type { Env } from './context.ts';
import { fromUserMessage } from './errors.ts';

/**
 * The quota answer a submit would get, asked before the costly part of a request (fetching an
 * `image_url`), so a caller over quota cannot make the server fetch URLs for free. Only a preview: the
 * engine admits for real at submit, atomically.
 */
export async function quotaPrecheck(c: Context<Env>): Promise<Response | undefined> {
  const usage = await c.var.deps.quota.usage(c.var.requester);
  if (usage.unlimited) return undefined;
  const now = Date.now();
  if (usage.waiting.used >= usage.waiting.limit)
    return fromUserMessage(c, refusal('waiting', usage.waiting.limit).message);
  for (const [kind, window] of [
    ['window', usage.window],
    ['gpuSeconds', usage.gpuSeconds],
  ] as const) {
    if (window && window.remaining <= 0)
      return fromUserMessage(
        c,
        refusal(kind, window.limit, { retryAfterMs: Math.max(0, window.resetsAt - now), now }).message,
      );
  }
  return undefined;
}
