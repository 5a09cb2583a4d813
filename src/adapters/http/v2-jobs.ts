import { Hono } from 'hono';
import { findAssetRefs, RAW_TEMPLATE, type RawJobRequest } from '../../core/jobs/raw-workflow.ts';
import type { Env } from './context.ts';
import { fail, fromUserMessage } from './errors.ts';
import { ownedImage } from './input-images.ts';
import { deliveryFor, ownJob, viewOf } from './jobs-common.ts';
import { readBody } from './json-body.ts';
import { PostJobsBody } from './schemas.ts';
import { streamJob } from './sse.ts';
import { reuseRefusal, submitOnce } from './submit-once.ts';
import { v2Job } from './to-v2.ts';
import { findCycle } from './workflow-checks.ts';

/** Comfy API v2 jobs: submit an API-format graph, read, stream, cancel, and get the graph back. */
export const v2Jobs = new Hono<Env>();

v2Jobs.post('/', async (c) => {
  const body = await readBody(c, PostJobsBody, { status: 422, code: 'invalid_workflow' });
  if (body instanceof Response) return body;
  const { workflow, webhook_url } = body.data;
  const cycle = findCycle(workflow);
  if (cycle) return fail(c, 422, 'invalid_workflow', cycle);
  const submitted = await submitOnce(c, body.text, async () => {
    const delivery = await deliveryFor(c, webhook_url);
    if (delivery instanceof Response) return delivery;
    const assetId = findAssetRefs(workflow)[0]?.assetId;
    const inputImage = assetId ? await ownedImage(c, assetId, 'workflow') : undefined;
    if (inputImage instanceof Response) return inputImage;
    // `extra_data.api_key_comfy_org` is a client's secret: it is not kept with the job (which is stored),
    // so partner nodes run with the operator's own `comfyOrgApiKey`, if any.
    const request: RawJobRequest = { template: RAW_TEMPLATE, prompt: '', values: {}, workflow };
    const r = await c.var.deps.jobs.submit({
      requester: c.var.requester,
      request,
      delivery,
      ...(inputImage ? { inputImage } : {}),
    });
    return r.ok ? [r.value] : fromUserMessage(c, r.error);
  });
  if (submitted instanceof Response) return submitted;
  if (submitted.replayed) return reuseRefusal(c, submitted);
  return c.json(v2Job(c.var.deps.jobs, await viewOf(c, submitted.jobs[0]!)), 201);
});

v2Jobs.get('/:id', async (c) => {
  const job = await ownJob(c, c.req.param('id'));
  if (!job) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return c.json(v2Job(c.var.deps.jobs, await viewOf(c, job)));
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
  const { jobs, frontEnd } = c.var.deps;
  const r = await jobs.cancel(job.id, c.var.requester);
  if (!r.ok) return fromUserMessage(c, r.error);
  const now = (await jobs.get(job.id)) ?? r.value;
  if (
    now.state !== 'canceled' &&
    now.state !== 'succeeded' &&
    now.state !== 'failed' &&
    now.state !== 'expired'
  )
    frontEnd.canceling.add(job.id);
  return c.json(v2Job(jobs, await viewOf(c, now)));
});
