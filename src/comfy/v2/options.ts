import { COMFY_CLOUD_BASE_URL } from '@comfyorg/sdk';
import type { Clock } from '../clock.ts';
import type { SubmitPolicy } from './submit.ts';
import type { V2Log } from './wait.ts';

export interface ComfyApiV2ClientOptions {
  /** Any Comfy API v2 base URL (a deployment, a self-hosted proxy, another ComfyRelay). Default: Comfy Cloud. */
  baseUrl?: string;
  /** Sent as a bearer token to the service's own origin only; never logged, never in an error. */
  apiKey?: string;
  /**
   * Jobs this client keeps on the service at once: the plan's concurrency (Comfy Cloud: 1 Standard,
   * 3 Creator, 5 Pro), plus any queue the operator wants kept filled. Default 1.
   */
  slots?: number;
  /** A job still not finished this long after it was submitted is canceled and fails. Default 30 min. */
  jobTimeoutMs?: number;
  /** How long 429s are waited out per `Retry-After` before a submit gives up (the SDK's 60 s). */
  queueFullBudgetMs?: number;
  /** Attempts of a submit answered 5xx or not at all, with one Idempotency-Key. Default 3. */
  submitAttempts?: number;
  /** Pause before the second of those attempts; doubles after each. Default 500 ms. */
  retryDelayMs?: number;
  /** After a 402, submits are refused without asking for this long. Default 10 min. */
  outOfCreditsRetryMs?: number;
  /** After a 401/403, or when submits found the service unreachable, same. Default 1 min. */
  pauseAfterRefusalMs?: number;
  /** A followed job whose service stays unreachable this long is reported lost. Default: the job time limit. */
  lostAfterMs?: number;
  /** Time limit of one request (not of an event stream or a download). Default 30 s. */
  requestTimeoutMs?: number;
  /** Replaces the platform fetch (tests, proxies). */
  fetch?: typeof fetch;
  clock?: Clock;
  log?: V2Log;
}

export interface ResolvedV2Options {
  baseUrl: string;
  slots: number;
  jobTimeoutMs: number;
  lostAfterMs: number;
  requestTimeoutMs: number;
  policy: SubmitPolicy;
}

export function resolveV2Options(o: ComfyApiV2ClientOptions): ResolvedV2Options {
  const jobTimeoutMs = o.jobTimeoutMs ?? 30 * 60_000;
  return {
    baseUrl: (o.baseUrl ?? COMFY_CLOUD_BASE_URL).replace(/\/+$/, ''),
    slots: o.slots ?? 1,
    jobTimeoutMs,
    lostAfterMs: o.lostAfterMs ?? jobTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    policy: {
      queueFullBudgetMs: o.queueFullBudgetMs ?? 60_000,
      attempts: Math.max(1, o.submitAttempts ?? 3),
      retryDelayMs: o.retryDelayMs ?? 500,
      outOfCreditsRetryMs: o.outOfCreditsRetryMs ?? 10 * 60_000,
      pauseAfterRefusalMs: o.pauseAfterRefusalMs ?? 60_000,
    },
  };
}
