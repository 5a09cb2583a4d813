import { Hono } from 'hono';
import { ownerKey } from '../../core/jobs/types.ts';
import { findAssetRefs, RAW_TEMPLATE, type RawJobRequest } from '../../core/jobs/raw-workflow.ts';
import type { Env } from './context.ts';
import { fail, fromUserMessage } from './errors.ts';
import { deliveryFor, ownJob, submit, viewOf } from './jobs-common.ts';
import { PostJobsBody } from './schemas.ts';
import { streamJob } from './sse.ts';
import { v2Job } from './to-v2.ts';

/** Comfy API v2 jobs: submit an API-format graph, read, stream, cancel, and get the graph back. */
export const v2Jobs = new Hono<Env>();

v2Jobs.post('/', async (c) => {
  const body = PostJobsBody.safeParse(await c.req.json().catch(() => undefined));
  if (!body.success)
    return fail(c, 422, 'invalid_workflow', {
      code: 'http.badRequest',
      params: { details: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
    });
  const { workflow, extra_data, webhook_url } = body.data;
  const delivery = deliveryFor(c, webhook_url);
  if (delivery instanceof Response) return delivery;
  const refs = findAssetRefs(workflow);
  let inputImage: { bytes: Uint8Array; mime: string } | undefined;
  const assetId = refs[0]?.assetId;
  if (assetId) {
    const { assets } = c.var.deps;
    const record = await assets.get(assetId);
    const bytes =
      record && record.owner === ownerKey(c.var.requester) ? await assets.bytes(record) : undefined;
    if (!record || !bytes)
      return fail(
        c,
        422,
        'missing_asset',
        { code: 'http.asset.missing', params: { id: assetId } },
        { asset_id: assetId },
      );
    inputImage = { bytes, mime: record.contentType };
  }
  const request: RawJobRequest = {
    template: RAW_TEMPLATE,
    prompt: '',
    values: {},
    workflow,
    extraData: extra_data,
  };
  const submitted = await submit(c, { request, delivery, inputImage });
  if (submitted instanceof Response) return submitted;
  if (submitted.replayed) {
    // Comfy API v2: a reused key is rejected, not replayed; the details name the job it made.
    return fail(
      c,
      422,
      'idempotency_key_reuse',
      { code: 'http.idempotencyReuse', params: { jobId: submitted.job.id } },
      { job_id: submitted.job.id },
    );
  }
  return c.json(v2Job(c.var.deps.app, await viewOf(c, submitted.job)), 201);
});

v2Jobs.get('/:id', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return c.json(v2Job(c.var.deps.app, await viewOf(c, job)));
});

v2Jobs.get('/:id/workflow', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return c.json({ workflow: job.workflow, format: 'api' as const });
});

v2Jobs.get('/:id/events', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return streamJob(c, job);
});

v2Jobs.post('/:id/cancel', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  const { app, frontEnd } = c.var.deps;
  const r = await app.engine.cancel(job.id, c.var.requester);
  if (!r.ok) return fromUserMessage(c, r.error);
  const now = (await app.engine.get(job.id)) ?? r.value;
  if (
    now.state !== 'canceled' &&
    now.state !== 'succeeded' &&
    now.state !== 'failed' &&
    now.state !== 'expired'
  )
    frontEnd.canceling.add(job.id);
  return c.json(v2Job(app, await viewOf(c, now)));
});
