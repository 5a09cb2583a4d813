import type { Context, MiddlewareHandler } from 'hono';
import type { Env } from './context.ts';
import { fail } from './errors.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

/** The host name of a `Host` header (`[::1]:8787` → `[::1]`, `Example.com.` → `example.com`). */
export function hostnameOf(host: string): string {
  const bare = host.trim().toLowerCase();
  const name = bare.startsWith('[') ? bare.slice(0, bare.indexOf(']') + 1) : bare.split(':')[0]!;
  return name.replace(/\.$/, '');
}

/** True while the server needs no key: bound to loopback and no key exists yet. */
export async function isOpenMode(c: Context<Env>): Promise<boolean> {
  const { keys, loopbackOnly } = c.var.deps;
  return loopbackOnly && !(await keys.any());
}

/**
 * Without API keys anyone who can reach the server may use it, so "reach" is kept to this machine's own
 * users: every request must name a loopback host (or `http.publicUrl`'s), which stops DNS rebinding; and
 * a state-changing request must come from the page itself (`Sec-Fetch-Site`, `Origin`), which stops any
 * other web page the operator opens from creating, uploading or cancelling. Clients that are not
 * browsers send neither header and pass. With keys, bearer keys (never sent by a browser on its own)
 * do this job.
 */
export const openModeGuard: MiddlewareHandler<Env> = async (c, next) => {
  if (!(await isOpenMode(c))) return next();
  const host = c.req.header('host') ?? '';
  const publicUrl = c.var.deps.config.publicUrl;
  const publicHost = publicUrl ? new URL(publicUrl).hostname.toLowerCase() : undefined;
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : undefined;
  const name = hostnameOf(host);
  if (!LOOPBACK_HOSTS.has(name) && name !== publicHost)
    return fail(c, 421, 'misdirected_request', {
      code: 'http.host.notAllowed',
      params: { host: name.slice(0, 100) },
    });
  if (SAFE_METHOD.test(c.req.method)) return next();
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const sameSite = site === undefined || site === 'same-origin' || site === 'none';
  const sameOrigin =
    origin === undefined ||
    origin === publicOrigin ||
    (URL.canParse(origin) && new URL(origin).host === host);
  if (!sameSite || !sameOrigin) return fail(c, 403, 'forbidden', { code: 'http.origin.crossSite' });
  return next();
};
