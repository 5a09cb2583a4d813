import { randomUUID } from 'node:crypto';
import { guardedRequest, type OutboundPolicy, type OutboundProblem } from '../net/url-guard.ts';
import { signWebhook } from './sign.ts';

export interface WebhookOptions {
  policy: OutboundPolicy;
  /** Attempts in all (default 6). */
  attempts?: number;
  /** First retry delay; doubles each time, with jitter (default 1 s, capped at 5 min). */
  initialDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type WebhookOutcome =
  | { ok: true; attempts: number; status: number }
  | { ok: false; attempts: number; reason: OutboundProblem | `status.${number}` };

/**
 * Posts a signed JSON event to a webhook URL, retrying on network errors, 429 and 5xx with exponential
 * backoff. The same `webhook-id` is sent on every attempt so receivers can deduplicate.
 */
export async function deliverWebhook(
  url: string,
  secret: string,
  payload: { type: string; timestamp?: string; data: unknown },
  options: WebhookOptions,
): Promise<WebhookOutcome> {
  const id = `msg_${randomUUID()}`;
  const body = JSON.stringify({ timestamp: new Date().toISOString(), ...payload });
  const attempts = options.attempts ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let reason: OutboundProblem | `status.${number}` = 'url.failed';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const headers = {
      'content-type': 'application/json',
      ...signWebhook(secret, id, Math.floor(Date.now() / 1000), body),
    };
    const res = await guardedRequest(url, options.policy, { method: 'POST', headers, body });
    if (res.ok && res.value.status >= 200 && res.value.status < 300)
      return { ok: true, attempts: attempt, status: res.value.status };
    if (!res.ok) {
      reason = res.error;
      // A refused destination will not become acceptable by waiting.
      if (res.error === 'url.private' || res.error === 'url.scheme' || res.error === 'url.invalid')
        return { ok: false, attempts: attempt, reason };
    } else {
      reason = `status.${res.value.status}`;
      if (res.value.status < 500 && res.value.status !== 429 && res.value.status !== 408)
        return { ok: false, attempts: attempt, reason };
    }
    if (attempt < attempts) {
      const base = (options.initialDelayMs ?? 1000) * 2 ** (attempt - 1);
      await sleep(Math.min(300_000, base * (0.75 + Math.random() * 0.5)));
    }
  }
  return { ok: false, attempts, reason };
}
