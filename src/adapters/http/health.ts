import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Env } from './context.ts';

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `/healthz` (process up), `/readyz` (a healthy backend and room in the queue), `/metrics` (Prometheus). */
export const health = new Hono<Env>();

health.get('/healthz', (c) => c.json({ ok: true }));

health.get('/readyz', (c) => {
  const { app } = c.var.deps;
  const snap = app.engine.queueSnapshot();
  const limit = app.config.quotas.global.waiting;
  const healthy = snap.backends.filter((b) => b.healthy).length;
  const full = limit !== undefined && snap.waiting >= limit;
  const ready = healthy > 0 && !full;
  return c.json(
    { ready, healthy_backends: healthy, waiting: snap.waiting, running: snap.running, queue_full: full },
    ready ? 200 : 503,
  );
});

health.get('/metrics', async (c) => {
  const { app } = c.var.deps;
  const key = app.config.http.metricsKey;
  if (key) {
    const presented =
      (c.req.header('authorization') ?? '').replace(/^bearer /i, '') || c.req.query('key') || '';
    if (!same(presented, key)) return c.text('unauthorized\n', 401);
  }
  c.header('Content-Type', app.metrics.registry.contentType);
  return c.body(await app.metrics.registry.metrics());
});
