import type { MiddlewareHandler } from 'hono';
import { toLocale } from '#shared/i18n.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';

/** Sets the dependencies, guards, locale and origin for every request. */
export const requestContext =
  (deps: Env['Variables']['deps'], guards: Env['Variables']['guards']): MiddlewareHandler<Env> =>
  async (c, next) => {
    c.set('deps', deps);
    c.set('guards', guards);
    c.set('locale', toLocale(c.req.header('accept-language')?.split(',')[0]));
    c.set('origin', deps.config.publicUrl ?? new URL(c.req.url).origin);
    await next();
  };

/**
 * `Authorization: Bearer <key>` (or `X-API-Key`) → the key's requester, whose tier sets its quotas.
 * With no key at all and a loopback-only server, requests act as the local operator.
 */
export const requireKey: MiddlewareHandler<Env> = async (c, next) => {
  const { keys, loopbackOnly } = c.var.deps;
  const header = c.req.header('authorization') ?? '';
  const presented = /^bearer /i.test(header) ? header.slice(7).trim() : c.req.header('x-api-key');
  const locale = c.var.locale;
  if (!presented) {
    if (loopbackOnly && !(await keys.any())) {
      c.set('requester', { platform: 'http', userId: 'local', displayName: 'local', locale });
      return next();
    }
    c.header('WWW-Authenticate', 'Bearer');
    return fail(c, 401, 'unauthorized', { code: 'http.auth.missing' });
  }
  const key = await keys.verify(presented);
  if (!key) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    return fail(c, 401, 'unauthorized', { code: 'http.auth.invalid' });
  }
  c.set('keyId', key.id);
  c.set('requester', {
    platform: 'http',
    userId: key.id,
    displayName: key.name,
    apiKeyTier: key.tier,
    locale,
  });
  return next();
};
