import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { t } from '../../core/i18n/catalogs.ts';
import { isLoopback } from '../../core/net/address-policy.ts';
import type { Env } from './context.ts';

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `/healthz` (process up), `/readyz` (a healthy backend and room in the queue), `/metrics` (Prometheus). */
export const health = new Hono<Env>();

health.get('/healthz', (c) => c.json({ ok: true }));

health.get('/readyz', (c) => {
  const { jobs, quotas } = c.var.deps;
  const snap = jobs.queueSnapshot();
  const limit = quotas.global.waiting;
  const healthy = snap.backends.filter((b) => b.healthy).length;
  const full = limit !== undefined && snap.waiting >= limit;
  const ready = healthy > 0 && !full;
  return c.json(
    { ready, healthy_backends: healthy, waiting: snap.waiting, running: snap.running, queue_full: full },
    ready ? 200 : 503,
  );
});

/**
 * `/metrics`: with `http.metricsKey`, only to `Authorization: Bearer <metricsKey>` (never a query string,
 * which ends up in proxy logs); without one, only to this machine, and not through a reverse proxy.
 */
health.get('/metrics', async (c) => {
  const { config, metrics } = c.var.deps;
  const key = config.metricsKey;
  if (key) {
    const header = c.req.header('authorization') ?? '';
    const presented = /^bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!same(presented, key)) return c.text('unauthorized\n', 401, { 'WWW-Authenticate': 'Bearer' });
  } else if (!fromThisMachine(c)) {
    return c.text(`${t(c.var.locale, 'http.metrics.localOnly')}\n`, 403);
  }
  c.header('Content-Type', metrics.registry.contentType);
  return c.body(await metrics.registry.metrics());
});

function fromThisMachine(c: Context<Env>): boolean {
  if (c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined) return false;
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    return false;
  }
  return address !== undefined && isLoopback(address);
}
