import type { Context } from 'hono';
import { ownerKey, type JobRecord } from '../../core/jobs/types.ts';
import { checkDestination } from '../../core/net/url-guard.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import type { HttpDelivery } from './front-end.ts';
import { tierSafetyMinimum } from './output-safety.ts';
import type { JobView } from './to-v2.ts';

/** The caller's job, or undefined when it does not exist or belongs to someone else (both 404). */
export async function ownJob(c: Context<Env>, id: string): Promise<JobRecord | undefined> {
  const job = await c.var.deps.jobs.get(id);
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

/**
 * The delivery target of a new job, or an error response: a webhook URL is checked now (scheme, and
 * every address its host resolves to), so a refused one is the submitter's answer, not a log line later.
 * The key tier's safety floor goes with it: the core's safety stage reads it as the place's minimum.
 */
export async function deliveryFor(
  c: Context<Env>,
  webhook: string | undefined,
): Promise<HttpDelivery | Response> {
  const minimum = tierSafetyMinimum(c.var.deps.quotas.tiers, c.var.requester.apiKeyTier);
  const delivery: HttpDelivery = {
    platform: 'http',
    keyId: c.var.keyId,
    origin: c.var.origin,
    locale: c.var.locale,
    ...(minimum ? { safetyMinimum: minimum } : {}),
  };
  if (webhook === undefined) return delivery;
  if (!c.var.keyId) return fail(c, 400, 'invalid_request', { code: 'http.webhook.needsKey' });
  const checked = await checkDestination(webhook, c.var.deps.config.allowPrivateUrls);
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
