import type { MiddlewareHandler } from 'hono';
import type { Env } from './context.ts';

/**
 * One info line per request: method, path (never the query, which may carry a secret), status, the API
 * key's id (never the key) and duration. For event streams the duration is until the stream opened.
 */
export const accessLog: MiddlewareHandler<Env> = async (c, next) => {
  const started = performance.now();
  await next();
  c.var.deps.log.info(
    {
      method: c.req.method,
      path: c.req.path.slice(0, 300),
      status: c.res.status,
      key: c.var.keyId ?? null,
      ms: Math.round(performance.now() - started),
    },
    'http request',
  );
};
