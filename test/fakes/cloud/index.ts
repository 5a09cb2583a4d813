import { assetRoute } from './asset-routes.ts';
import { AssetStore } from './assets.ts';
import { close, listen, type Req, type Res, sendError } from './http.ts';
import { type CloudContext, jobRoute, postJob } from './job-routes.ts';
import { JobRunner } from './jobs.ts';
import type { FakeCloudOptions, FakeCloudScript, FakeCloudStats } from './script.ts';

export type { FakeCloudOptions, FakeCloudScript, FakeCloudStats, ScriptedAnswer } from './script.ts';

export interface FakeCloud {
  /** The Comfy API v2 base URL. */
  url: string;
  /** The origin signed download URLs point at. */
  signedOrigin: string;
  script: FakeCloudScript;
  stats: FakeCloudStats;
  /** Status of a job as the service knows it. */
  statusOf(jobId: string): string | undefined;
  /** Turns `script.hold` off and lets the jobs it held finish. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A small stand-in for the Cloud-only behaviours of Comfy API v2, on 127.0.0.1: the routes the SDK uses
 * (jobs, SSE events, cancel, assets with blake3 dedup, downloads), single-use idempotency keys, a
 * bounded queue in front of a concurrency limit, and script hooks for what a local server never does:
 * 402, 429, 5xx (also after accepting the job), redirects to signed URLs on another origin.
 */
export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  const script: FakeCloudScript = { submitAnswers: [], hold: false };
  const stats: FakeCloudStats = {
    submits: 0,
    runs: [],
    maxActive: 0,
    uploads: 0,
    keys: [],
    signedAuth: [],
    extraData: [],
  };
  const assets = new AssetStore();
  const runner = new JobRunner(options, script, stats, assets);
  const ctx: CloudContext = {
    options,
    script,
    stats,
    assets,
    runner,
    origin: '',
    signedOrigin: '',
    keys: new Map(),
    echo: (req) => (options.echoKeyInErrors ? ` (you sent ${String(req.headers.authorization)})` : ''),
  };

  const signed = await listen(async (req, res) => {
    stats.signedAuth.push(req.headers.authorization);
    const id = /^\/signed\/([^/?]+)/.exec(req.url ?? '')?.[1];
    const record = id ? assets.get(id) : undefined;
    if (!record) return sendError(res, 404);
    res.writeHead(200, { 'content-type': record.contentType, 'content-length': record.bytes.length });
    res.end(record.bytes);
  });
  ctx.signedOrigin = signed.origin;

  const api = await listen(async (req: Req, res: Res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/api/v2/')) return sendError(res, 404);
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, { message: `missing or invalid API key${ctx.echo(req)}` });
    }
    const rest = path.slice('/api/v2'.length);
    if (rest === '/jobs' && req.method === 'POST') return postJob(ctx, req, res);
    const job = /^\/jobs\/([^/]+)(\/[a-z]+)?$/.exec(rest);
    if (job) return jobRoute(ctx, req, res, job[1]!, job[2] ?? '');
    if (rest === '/assets' || rest.startsWith('/assets/'))
      return assetRoute(ctx, req, res, rest.slice('/assets'.length));
    sendError(res, 404);
  });
  ctx.origin = api.origin;
  runner.origin = api.origin;

  return {
    url: api.origin,
    signedOrigin: signed.origin,
    script,
    stats,
    statusOf: (id) => runner.jobs.get(id)?.status,
    release: () => runner.release(),
    async close() {
      runner.release();
      await Promise.all([close(api.server), close(signed.server)]);
    },
  };
}
