import type { Context } from 'hono';
import type { UserMessage } from '#shared/i18n.ts';
import { t } from '../../core/i18n/catalogs.ts';
import type { Env } from './context.ts';

/** The Comfy API v2 error envelope `{error:{code,message,details}}`. */
export function fail(
  c: Context<Env>,
  status: number,
  code: string,
  message: UserMessage,
  details?: Record<string, unknown>,
): Response {
  const text = t(c.var.locale, message.code, message.params);
  return c.json({ error: { code, message: text, details: details ?? null } }, status as 400);
}

/** A 429 with `Retry-After` (whole seconds, at least 1), for limits that are not job quotas. */
export function tooMany(
  c: Context<Env>,
  retryAfterS: number,
  message: UserMessage,
  code = 'rate_limited',
): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterS));
  c.header('Retry-After', String(seconds));
  return fail(c, 429, code, message, { retry_after_s: seconds });
}

const BY_CODE: [RegExp, number, string][] = [
  [/^jobs\.(notFound)$/, 404, 'not_found'],
  [/^jobs\.notYours$/, 404, 'not_found'],
  [/^jobs\.(shuttingDown)$/, 503, 'unavailable'],
  [/^jobs\.duplicate$/, 409, 'idempotency_key_reuse'],
  [/^http\.workflow\.uiFormat$/, 422, 'workflow_format_ui'],
  [/^jobs\.needsImage$/, 422, 'missing_asset'],
  [/^http\.asset\./, 422, 'missing_asset'],
  [/^(http\.workflow|jobs\.|workflows\.|check\.|bind\.)/, 422, 'invalid_workflow'],
  [/^grammar\./, 400, 'invalid_request'],
];

/**
 * An engine or grammar refusal as an HTTP answer. Quota refusals are 429 with `Retry-After` and say which
 * limit (`details.limit`), e.g. `quota.refused.window` → `window`.
 */
export function fromUserMessage(c: Context<Env>, message: UserMessage): Response {
  if (message.code.startsWith('quota.refused.')) {
    const retryAt = Number(message.params?.['retryAt']);
    const retryAfter = Number.isFinite(retryAt) ? Math.max(1, retryAt - Math.floor(Date.now() / 1000)) : 5;
    c.header('Retry-After', String(retryAfter));
    const limit = message.code.slice('quota.refused.'.length);
    return fail(c, 429, 'quota_exceeded', message, {
      ...message.params,
      limit,
      limit_value: message.params?.['limit'],
      retry_after_s: retryAfter,
    });
  }
  const [, status, code] = BY_CODE.find(([re]) => re.test(message.code)) ?? [
    undefined,
    422,
    'invalid_request',
  ];
  return fail(c, status, code, message, { code: message.code, ...message.params });
}
