/** getUpdates and the webhook methods. */
import { Fail } from '../errors.ts';
import { bool, int, json, str } from '../parse.ts';
import type { MethodHandler } from './context.ts';

function allowedUpdates(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined;
}

const getUpdates: MethodHandler = (ctx) =>
  ctx.updates.getUpdates(
    {
      offset: int(ctx.params, 'offset'),
      limit: int(ctx.params, 'limit'),
      timeout: int(ctx.params, 'timeout'),
      allowed: allowedUpdates(json(ctx.params, 'allowed_updates')),
    },
    ctx.signal,
  );

const deleteWebhook: MethodHandler = (ctx) => {
  const had = ctx.updates.deleteWebhook(bool(ctx.params, 'drop_pending_updates'));
  ctx.description = had ? 'Webhook was deleted' : 'Webhook is already deleted';
  return true;
};

const setWebhook: MethodHandler = (ctx) => {
  const url = str(ctx.params, 'url') ?? '';
  if (url === '') return deleteWebhook(ctx);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw Fail.webhookNotHttps();
  }
  if (parsed.protocol !== 'https:') throw Fail.webhookNotHttps();
  if (ctx.settings.webhookEnforcePorts && !['', '80', '88', '443', '8443'].includes(parsed.port))
    throw Fail.webhookPort();
  const secretToken = str(ctx.params, 'secret_token');
  if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) throw Fail.webhookSecret();
  const allowed = allowedUpdates(json(ctx.params, 'allowed_updates'));
  ctx.updates.setWebhook(
    {
      url,
      maxConnections: int(ctx.params, 'max_connections') ?? 40,
      setAt: ctx.clock.now(),
      ...(secretToken !== undefined ? { secretToken } : {}),
      ...(allowed && allowed.length > 0 ? { allowedUpdates: allowed } : {}),
    },
    bool(ctx.params, 'drop_pending_updates'),
  );
  ctx.description = 'Webhook was set';
  return true;
};

const getWebhookInfo: MethodHandler = (ctx) => {
  const hook = ctx.updates.webhook;
  return {
    url: hook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: ctx.updates.pending,
    ...(hook
      ? {
          max_connections: hook.maxConnections,
          ...(hook.allowedUpdates ? { allowed_updates: hook.allowedUpdates } : {}),
          ...(hook.lastErrorDate !== undefined
            ? { last_error_date: hook.lastErrorDate, last_error_message: hook.lastErrorMessage }
            : {}),
        }
      : {}),
  };
};

export const updateMethods: Record<string, MethodHandler> = {
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
};
