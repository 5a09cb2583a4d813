import type { Context } from 'hono';
import { ownerKey, type JobRecord } from '../../core/jobs/types.ts';
import type { SubmitInput } from '../../core/jobs/job-service.ts';
import { precheckUrl } from '../../core/net/url-guard.ts';
import type { Env } from './context.ts';
import { fail, fromUserMessage } from './errors.ts';
import type { HttpDelivery } from './front-end.ts';
import type { JobView } from './to-v2.ts';

/** The caller's job, or undefined when it does not exist or belongs to someone else (both 404). */
export async function ownJob(c: Context<Env>, id: string): Promise<JobRecord | undefined> {
  const job = await c.var.deps.app.engine.get(id);
  return job && job.ownerKey === ownerKey(c.var.requester) ? job : undefined;
}

export async function viewOf(c: Context<Env>, job: JobRecord): Promise<JobView> {
  const { assets, events, frontEnd } = c.var.deps;
  const latest = events.latest(job.id, 'progress')?.data;
  return {
    job,
    outputs: job.state === 'succeeded' ? await assets.forJob(job.id) : [],
    progress: latest
      ? {
          fraction: Number(latest['value']),
          node: (latest['current_node'] as string | null) ?? undefined,
          step: (latest['step'] as number | null) ?? undefined,
          steps: (latest['steps'] as number | null) ?? undefined,
        }
      : undefined,
    canceling: frontEnd.canceling.has(job.id),
    origin: c.var.origin,
    locale: c.var.locale,
  };
}

/** The delivery target of a new job, or an error response (a webhook URL that is refused). */
export function deliveryFor(c: Context<Env>, webhook: string | undefined): HttpDelivery | Response {
  const delivery: HttpDelivery = {
    platform: 'http',
    keyId: c.var.keyId,
    origin: c.var.origin,
    locale: c.var.locale,
  };
  if (webhook === undefined) return delivery;
  if (!c.var.keyId) return fail(c, 400, 'invalid_request', { code: 'http.webhook.needsKey' });
  const checked = precheckUrl(webhook, c.var.deps.app.config.http.allowPrivateUrls);
  if (!checked.ok)
    return fail(
      c,
      400,
      'invalid_url',
      { code: `http.${checked.error}` },
      { field: 'webhook_url', reason: checked.error },
    );
  return { ...delivery, webhook: checked.value.href };
}

/**
 * Submits and maps refusals. `Idempotency-Key` is scoped to the caller; a key seen before gives back the
 * job it made (`replayed: true`), so each front end can answer a repeat its own way.
 */
export async function submit(
  c: Context<Env>,
  input: Omit<SubmitInput, 'requester' | 'idempotencyKey'>,
): Promise<{ job: JobRecord; replayed: boolean } | Response> {
  const key = c.req.header('idempotency-key');
  const started = Date.now();
  const r = await c.var.deps.app.engine.submit({
    ...input,
    requester: c.var.requester,
    idempotencyKey: key ? `http:${ownerKey(c.var.requester)}:${key}` : undefined,
  });
  if (!r.ok) return fromUserMessage(c, r.error);
  return { job: r.value, replayed: r.value.createdAt < started };
}
