import type { QuotaLimitKind, QuotaRefusal } from './types.ts';

/**
 * Builds a refusal and its message. Codes are `quota.refused.<limit>`, plus `.waiting`/`.window` for the
 * shared caps. Params: `limit`, and when a retry time is known `minutes` (rounded up) and `retryAt`
 * (epoch seconds, for platforms that render relative times such as Discord's `<t:…:R>`).
 */
export function refusal(
  limit: QuotaLimitKind,
  limitValue: number,
  options: { retryAfterMs?: number; cap?: 'waiting' | 'window'; now?: number } = {},
): QuotaRefusal {
  const code = options.cap ? `quota.refused.${limit}.${options.cap}` : `quota.refused.${limit}`;
  const { retryAfterMs } = options;
  if (retryAfterMs === undefined)
    return { limit, limitValue, message: { code, params: { limit: limitValue } } };
  const wait = Math.max(0, Math.ceil(retryAfterMs));
  return {
    limit,
    limitValue,
    retryAfterMs: wait,
    message: {
      code,
      params: {
        limit: limitValue,
        minutes: Math.max(1, Math.ceil(wait / 60_000)),
        retryAt: Math.ceil(((options.now ?? Date.now()) + wait) / 1000),
      },
    },
  };
}
