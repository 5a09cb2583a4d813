import { Hono } from 'hono';
import { isTerminal } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { fail, fromUserMessage } from './errors.ts';
import { ownJob, viewOf } from './jobs-common.ts';
import { templateParamsJsonSchema } from './param-schema.ts';
import { imagine } from './relay-imagine.ts';
import { listAssets, listJobs } from './relay-lists.ts';
import { holdingStreamSlot, streamJob } from './sse.ts';
import { relayJob } from './to-v2.ts';

/** ComfyRelay's own simple API: imagine with the chat grammar, list templates, list and follow jobs. */
export const relay = new Hono<Env>();

relay.get('/workflows', (c) => {
  const list = c.var.deps.templates.list().map((t) => ({
    name: t.name,
    description: t.description[c.var.locale] ?? t.description.en,
    tags: t.tags,
    family: t.family,
    needs_image: t.params['image'] !== undefined,
    parameters: templateParamsJsonSchema(t, c.var.locale),
  }));
  return c.json({ workflows: list });
});

relay.post('/imagine', (c) =>
  c.req.query('wait') === 'true' || c.req.query('stream') === 'true'
    ? holdingStreamSlot(c, () => imagine(c))
    : imagine(c),
);

relay.get('/jobs', listJobs);
relay.get('/assets', listAssets);

relay.get('/jobs/:id', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return c.json(relayJob(c.var.deps.jobs, await viewOf(c, job)));
});

relay.get('/jobs/:id/events', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return streamJob(c, job);
});

relay.post('/jobs/:id/cancel', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  const r = await c.var.deps.jobs.cancel(job.id, c.var.requester);
  if (!r.ok) return fromUserMessage(c, r.error);
  const now = (await c.var.deps.jobs.get(job.id)) ?? r.value;
  if (!isTerminal(now.state)) c.var.deps.frontEnd.canceling.add(job.id);
  return c.json(relayJob(c.var.deps.jobs, await viewOf(c, now)));
});
