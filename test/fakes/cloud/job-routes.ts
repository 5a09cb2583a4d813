import type { AssetStore } from './assets.ts';
import { type Req, type Res, readJson, sendError, sendJson } from './http.ts';
import { type FakeJob, jobJson, type JobRunner } from './jobs.ts';
import type { FakeCloudOptions, FakeCloudScript, FakeCloudStats } from './script.ts';

export interface CloudContext {
  options: FakeCloudOptions;
  script: FakeCloudScript;
  stats: FakeCloudStats;
  assets: AssetStore;
  runner: JobRunner;
  origin: string;
  signedOrigin: string;
  /** Claimed idempotency keys → the job each created. */
  keys: Map<string, string>;
  /** Appended to error messages by a careless server (`echoKeyInErrors`). */
  echo: (req: Req) => string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Every `core/ASSET` id in a graph. */
function assetIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(assetIds);
  if (!isObject(value)) return [];
  if (value.__type === 'core/ASSET' && isObject(value.info) && typeof value.info.id === 'string')
    return [value.info.id];
  return Object.values(value).flatMap(assetIds);
}

/** POST /api/v2/jobs: validation, idempotency (single-use keys), scripted answers, queue depth. */
export async function postJob(ctx: CloudContext, req: Req, res: Res): Promise<void> {
  ctx.stats.submits++;
  const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
  if (key) ctx.stats.keys.push(key);
  const body = await readJson(req);
  const workflow = body?.workflow;
  if (!isObject(workflow)) return sendError(res, 422, { message: `workflow: required${ctx.echo(req)}` });
  if ('nodes' in workflow && 'links' in workflow)
    return sendError(res, 422, { code: 'workflow_format_ui', message: 'UI-format workflow' });
  const extra = body?.extra_data;
  if (isObject(extra) && Object.keys(extra).some((k) => k !== 'api_key_comfy_org'))
    return sendError(res, 422, { message: `extra_data: only api_key_comfy_org is accepted${ctx.echo(req)}` });
  const nodeErrors: Record<string, unknown[]> = {};
  for (const [id, n] of Object.entries(workflow)) {
    if (!isObject(n) || typeof n.class_type !== 'string')
      nodeErrors[id] = [{ field: 'class_type', reason: 'missing' }];
  }
  if (Object.keys(nodeErrors).length > 0)
    return sendError(res, 422, {
      message: `invalid workflow${ctx.echo(req)}`,
      details: { node_errors: nodeErrors },
    });
  const missing = assetIds(workflow).find((id) => !ctx.assets.get(id));
  if (missing) return sendError(res, 422, { code: 'missing_asset', message: `asset ${missing} not found` });
  const claimed = key ? ctx.keys.get(key) : undefined;
  if (claimed) {
    const details = ctx.options.reuseNamesJob === false ? undefined : { job_id: claimed };
    return sendError(res, 422, {
      code: 'idempotency_key_reuse',
      message: `key already used${ctx.echo(req)}`,
      details,
    });
  }
  const scripted = ctx.script.submitAnswers.shift();
  if (scripted && !scripted.afterAccept) {
    return sendError(res, scripted.status, {
      ...scripted,
      message: `${scripted.message ?? 'scripted'}${ctx.echo(req)}`,
    });
  }
  if (!scripted && ctx.runner.active >= (ctx.options.concurrency ?? 1) + (ctx.options.maxQueue ?? 100)) {
    return sendError(res, 429, { code: 'queue_full', message: 'queue full', retryAfter: 1 });
  }
  const job = ctx.runner.create(workflow as never);
  if (key) ctx.keys.set(key, job.id);
  ctx.stats.extraData.push(extra);
  if (scripted)
    return sendError(res, scripted.status, {
      ...scripted,
      message: `${scripted.message ?? 'lost answer'}${ctx.echo(req)}`,
    });
  sendJson(res, 201, jobJson(job, ctx.runner, ctx.origin));
}

/** GET /api/v2/jobs/{id}/events: a snapshot on connect, then live frames, ending after the terminal status. */
export function streamEvents(ctx: CloudContext, job: FakeJob, req: Req, res: Res): void {
  if (ctx.options.sse === false) {
    sendError(res, 501, { code: 'not_implemented', message: 'no SSE here' });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('status', { status: job.status, queue_position: ctx.runner.queuePosition(job) });
  if (['succeeded', 'failed', 'canceled', 'expired'].includes(job.status)) return void res.end();
  if (job.progress) send('progress', job.progress);
  if (job.preview) send('preview', job.preview);
  const listener = (event: string, data: unknown) => {
    send(event, data);
    const status = isObject(data) ? data.status : undefined;
    if (event === 'status' && ['succeeded', 'failed', 'canceled', 'expired'].includes(String(status))) {
      job.listeners.delete(listener);
      res.end();
    }
  };
  job.listeners.add(listener);
  req.on('close', () => job.listeners.delete(listener));
}

export function jobRoute(
  ctx: CloudContext,
  req: Req,
  res: Res,
  id: string,
  rest: string,
): Promise<void> | void {
  const job = ctx.runner.jobs.get(id);
  if (!job) return sendError(res, 404, { code: 'job_not_found', message: `no job ${id}${ctx.echo(req)}` });
  if (req.method === 'GET' && rest === '') return sendJson(res, 200, jobJson(job, ctx.runner, ctx.origin));
  if (req.method === 'GET' && rest === '/events') return streamEvents(ctx, job, req, res);
  if (req.method === 'GET' && rest === '/workflow')
    return sendJson(res, 200, { workflow: job.graph, format: 'api' });
  if (req.method === 'POST' && rest === '/cancel') {
    ctx.runner.cancel(job);
    return sendJson(res, 200, jobJson(job, ctx.runner, ctx.origin));
  }
  sendError(res, 404);
}
