import type { Context } from 'hono';
import { ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { tooMany } from './errors.ts';

/**
 * Runs `read` as one upload: within the uploads per key per minute, holding a slot among the uploads
 * the process reads at once until it is done; 429 when either is used up.
 */
export async function asUpload<T>(c: Context<Env>, read: () => Promise<T>): Promise<T | Response> {
  const { guards } = c.var;
  const rate = guards.uploadRate.take(ownerKey(c.var.requester));
  if (!rate.ok)
    return tooMany(c, rate.retryAfterS, {
      code: 'http.rate.uploads',
      params: { limit: guards.limits.uploadsPerMinute, seconds: rate.retryAfterS },
    });
  const release = guards.uploadSlots.acquire();
  if (!release) return tooMany(c, 2, { code: 'http.rate.uploadsBusy' });
  try {
    return await read();
  } finally {
    release();
  }
}
