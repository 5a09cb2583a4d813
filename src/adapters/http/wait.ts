import type { Context } from 'hono';
import { isTerminal, type JobRecord } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { viewOf } from './jobs-common.ts';
import { webStream } from './web-stream.ts';
import { relayJob } from './to-v2.ts';
import { base64Answer, type ResponseForm } from './wait-base64.ts';
import { assetContent } from './asset-content.ts';
import { isBlocked, isBlurred } from './output-safety.ts';

export const MAX_WAIT_MS = 15 * 60_000;
const FAILED: Record<string, [number, string]> = {
  failed: [502, 'job_failed'],
  canceled: [409, 'job_canceled'],
  expired: [503, 'job_expired'],
};

/** Resolves once the job's last event (after its outputs) is out, or after `ms`. */
export function ended(c: Context<Env>, id: string, ms: number): Promise<void> {
  const { events, jobs } = c.var.deps;
  return new Promise((resolve) => {
    const done = () => {
      stop();
      clearTimeout(timer);
      clearInterval(poll);
      resolve();
    };
    const stop = events.listen(id, (e) => {
      if (e.event === 'status' && isTerminal(e.data['status'] as JobRecord['state'])) done();
    });
    const timer = setTimeout(done, ms);
    // A job finished before this process kept its events (restart) is noticed by polling.
    const poll = setInterval(async () => {
      const job = await jobs.get(id);
      if (job && isTerminal(job.state) && !events.has(id)) done();
    }, 1000);
    if (events.isTerminal(id)) done();
  });
}

/**
 * `?wait=true`: holds the request until the job ends (`X-Job-Id`, `X-Seed`, `Server-Timing` queue, backend
 * and run). `binary`: one image → the image itself (its blurred stand-in when screened so), anything else
 * → the job as JSON; `url`: the job as JSON; `base64`: the job with its outputs as base64 (`base64Answer`).
 * A failure → the error envelope, whatever the form.
 */
export async function waitForEnd(
  c: Context<Env>,
  id: string,
  form: ResponseForm = 'binary',
): Promise<Response> {
  const { jobs, assets } = c.var.deps;
  await ended(c, id, MAX_WAIT_MS);
  const job = (await jobs.get(id))!;
  const view = await viewOf(c, job);
  const body = relayJob(jobs, view);
  c.header('X-Job-Id', job.id);
  c.header('X-Seed', String(job.seed));
  const queued = (job.dispatchedAt ?? job.createdAt) - job.createdAt;
  const started = job.startedAt ?? job.dispatchedAt ?? job.createdAt;
  // `backend`: sent ahead to ComfyUI, waiting there behind the prompt it is running (part of `run`).
  const atBackend = started - (job.dispatchedAt ?? started);
  const ran = (job.finishedAt ?? Date.now()) - (job.dispatchedAt ?? job.createdAt);
  c.header('Server-Timing', `queue;dur=${queued}, backend;dur=${atBackend}, run;dur=${ran}`);
  if (!isTerminal(job.state)) return c.json(body, 202);
  const failed = FAILED[job.state];
  if (failed)
    return c.json(
      { error: { code: failed[1], message: body.error?.message ?? job.state, details: { job: body } } },
      failed[0] as 502,
    );
  if (form === 'base64') return base64Answer(c, [job]);
  const images = view.outputs.filter((o) => o.kind === 'image');
  const only = form === 'binary' && images.length === 1 && view.outputs.length === 1 ? images[0] : undefined;
  // A blocked image is not handed out (the JSON says why); a blurred one as its blurred JPEG.
  if (!only || isBlocked(only)) return c.json(body);
  c.header('X-Asset-Id', only.id);
  if (isBlurred(only)) return assetContent(c, only);
  const stream = await assets.open(only);
  if (!stream) return c.json(body);
  c.header('Content-Type', only.contentType);
  c.header('Content-Length', String(only.size));
  return c.body(webStream(stream), 200);
}
