import { Hono } from 'hono';
import { parsePrompt, resolveOptions, toGrammarTemplate } from '../../core/prompt/grammar/index.ts';
import { pickDefaultTemplate } from '../../core/jobs/default-template.ts';
import { isTerminal, ownerKey } from '../../core/jobs/types.ts';
import { guardedRequest } from '../../core/net/url-guard.ts';
import type { Env } from './context.ts';
import { fail, fromUserMessage } from './errors.ts';
import { deliveryFor, ownJob, submit, viewOf } from './jobs-common.ts';
import { templateParams, templateParamsJsonSchema } from './param-schema.ts';
import { ImagineBody } from './schemas.ts';
import { streamJob } from './sse.ts';
import { relayJob } from './to-v2.ts';
import { waitForEnd } from './wait.ts';

/** ComfyRelay's own simple API: imagine with the chat grammar, list templates, list and follow jobs. */
export const relay = new Hono<Env>();

relay.get('/workflows', (c) => {
  const { app } = c.var.deps;
  const list = [...app.templates.values()].map((t) => ({
    name: t.name,
    description: t.description[c.var.locale] ?? t.description.en,
    tags: t.tags,
    family: t.family,
    needs_image: t.params['image'] !== undefined,
    parameters: templateParamsJsonSchema(t, c.var.locale),
  }));
  return c.json({ workflows: list });
});

relay.post('/imagine', async (c) => {
  const { app, assets } = c.var.deps;
  const body = ImagineBody.safeParse(await c.req.json().catch(() => undefined));
  if (!body.success)
    return fail(c, 400, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
    });
  const b = body.data;
  const templates = [...app.templates.values()];
  const fallback = pickDefaultTemplate(templates, app.pool);
  const defaultTemplate = b.template ?? fallback?.name ?? '';
  if (b.template && !app.templates.has(b.template))
    return fromUserMessage(c, { code: 'jobs.unknownTemplate', params: { template: b.template } });
  const resolved = resolveOptions(parsePrompt(b.prompt), {
    templates: templates.map((t) => toGrammarTemplate(t)),
    defaultTemplate,
    locale: c.var.locale,
  });
  if (!resolved.ok) return fromUserMessage(c, resolved.error);
  const r = resolved.value;
  const template = app.templates.get(r.template);
  const params = template
    ? templateParams(template)
        .partial()
        .safeParse(b.params ?? {})
    : undefined;
  if (params && !params.success)
    return fail(c, 400, 'invalid_request', {
      code: 'http.badRequest',
      params: {
        details: params.error.issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; '),
      },
    });
  const delivery = deliveryFor(c, b.webhook_url);
  if (delivery instanceof Response) return delivery;

  let inputImage: { bytes: Uint8Array; mime: string } | undefined;
  if (b.image_asset) {
    const record = await assets.get(b.image_asset);
    const bytes = record?.owner === ownerKey(c.var.requester) ? await assets.bytes(record) : undefined;
    if (!record || !bytes)
      return fail(c, 422, 'missing_asset', { code: 'http.asset.missing', params: { id: b.image_asset } });
    inputImage = { bytes, mime: record.contentType };
  } else if (b.image_url) {
    const got = await guardedRequest(b.image_url, {
      allowPrivate: app.config.http.allowPrivateUrls,
      maxBytes: 20 * 1024 * 1024,
      timeoutMs: 15_000,
    });
    if (!got.ok)
      return fail(
        c,
        400,
        'invalid_url',
        { code: `http.${got.error}` },
        { field: 'image_url', reason: got.error },
      );
    const mime = String(got.value.headers['content-type'] ?? '').split(';')[0] ?? '';
    if (got.value.status !== 200 || !/^image\/(png|jpeg|webp)$/.test(mime))
      return fail(
        c,
        400,
        'invalid_url',
        { code: 'http.url.failed' },
        { field: 'image_url', status: got.value.status, content_type: mime },
      );
    inputImage = { bytes: got.value.body, mime };
  }
  const values = {
    ...r.values,
    ...(params?.success ? (params.data as Record<string, string | number | boolean>) : {}),
  };
  const seed = b.seed !== undefined && b.seed >= 0 ? b.seed : r.seed;
  const submitted = await submit(c, {
    request: { template: r.template, prompt: r.prompt, negative: b.negative ?? r.negative, values, seed },
    delivery,
    inputImage,
  });
  if (submitted instanceof Response) return submitted;
  const { job } = submitted;
  if (c.req.query('stream') === 'true') {
    return streamJob(c, job, async () => ({
      event: 'result',
      data: relayJob(app, await viewOf(c, (await app.engine.get(job.id)) ?? job)),
    }));
  }
  if (c.req.query('wait') === 'true') return waitForEnd(c, job.id);
  return c.json(relayJob(app, await viewOf(c, job)), submitted.replayed ? 200 : 202);
});

relay.get('/jobs', async (c) => {
  const limit = Math.min(100, Math.max(1, Number(c.req.query('limit') ?? 20) || 20));
  const jobs = await c.var.deps.app.engine.listForUser(c.var.requester, limit);
  const views = await Promise.all(jobs.map(async (j) => relayJob(c.var.deps.app, await viewOf(c, j))));
  return c.json({ jobs: views });
});

relay.get('/jobs/:id', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return c.json(relayJob(c.var.deps.app, await viewOf(c, job)));
});

relay.get('/jobs/:id/events', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return streamJob(c, job);
});

relay.post('/jobs/:id/cancel', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  const r = await c.var.deps.app.engine.cancel(job.id, c.var.requester);
  if (!r.ok) return fromUserMessage(c, r.error);
  const now = (await c.var.deps.app.engine.get(job.id)) ?? r.value;
  if (!isTerminal(now.state)) c.var.deps.frontEnd.canceling.add(job.id);
  return c.json(relayJob(c.var.deps.app, await viewOf(c, now)));
});
