import type { ComfyLow, Job as LowJob } from '@comfyorg/sdk/low';
import type { Clock } from '../clock.ts';
import { ComfyHttpError, ComfyUnreachableError } from '../errors.ts';
import type { ConditionTracker } from './condition.ts';
import {
  OutOfCreditsError,
  QueueFullError,
  redact,
  SubmitOutcomeUnknownError,
  UnauthorizedError,
} from './errors.ts';
import { type ServiceError, serviceError, toValidationError, wasRefused } from './translate.ts';
import { abortableSleep, type V2Log } from './wait.ts';

/** How a submit copes with the service's refusals; the defaults follow the SDK and the Cloud's docs. */
export interface SubmitPolicy {
  /** Total time 429s are waited out (per `Retry-After`) before giving up (SDK: 60 s). */
  queueFullBudgetMs: number;
  /** Attempts when the answer is a 5xx or no answer, all with the same Idempotency-Key. */
  attempts: number;
  /** Pause before the second attempt; doubles after each. */
  retryDelayMs: number;
  /** After a 402, how long submits are refused without asking. */
  outOfCreditsRetryMs: number;
  /** After a 401/403 or when the service stays unreachable, how long submits are refused. */
  pauseAfterRefusalMs: number;
}

export interface SubmitContext {
  low: ComfyLow;
  name: string;
  secret: string | undefined;
  clock: Clock;
  conditions: ConditionTracker;
  policy: SubmitPolicy;
  log?: V2Log;
}

export interface SubmitRequest {
  graph: Record<string, unknown>;
  idempotencyKey: string;
  extraData?: { api_key_comfy_org?: string };
  signal?: AbortSignal;
}

/** The SDK's pause for a `queue_full` without `Retry-After`. */
const DEFAULT_RETRY_AFTER_S = 2;

/**
 * POST /api/v2/jobs until the service gives a definite answer. Every attempt carries the same
 * Idempotency-Key: keys are single-use, so a retry after an ambiguous 5xx either creates the job (the
 * first did not) or is refused as a reuse, and then the job the first attempt made is adopted by the id
 * the refusal names. A job is never created twice. Refusals that mean "not now" update the backend's
 * condition and throw typed errors the pool can act on.
 */
export async function submitJob(ctx: SubmitContext, req: SubmitRequest): Promise<LowJob> {
  const { clock, policy, conditions } = ctx;
  const started = clock.now();
  let failures = 0;
  let ambiguous = false;
  let lastReason = '';
  for (;;) {
    try {
      const job = await ctx.low.postJobs(req.graph, {
        idempotencyKey: req.idempotencyKey,
        extraData: req.extraData,
        signal: req.signal,
      });
      conditions.ready();
      return job;
    } catch (error) {
      if (req.signal?.aborted) throw error;
      const answer = serviceError(error);
      if (answer && answer.httpStatus < 500) {
        const waitS = queueWait(answer);
        const remaining = policy.queueFullBudgetMs - (clock.now() - started);
        if (waitS !== undefined && remaining > 0) {
          ctx.log?.('info', 'service queue full; waiting as it asked', { backend: ctx.name, seconds: waitS });
          await abortableSleep(clock, Math.min(waitS * 1000, remaining), req.signal);
          continue;
        }
        return refused(ctx, req, answer);
      }
      failures++;
      ambiguous ||= answer !== undefined || !wasRefused(error);
      lastReason = redact(answer ? `HTTP ${answer.httpStatus} ${answer.code}` : describe(error), ctx.secret);
      if (failures >= policy.attempts) break;
      const delay = policy.retryDelayMs * 2 ** (failures - 1);
      ctx.log?.('warn', 'submit failed; retrying with the same idempotency key', {
        backend: ctx.name,
        attempt: failures,
        reason: lastReason,
      });
      await abortableSleep(clock, delay, req.signal);
    }
  }
  if (ambiguous) throw new SubmitOutcomeUnknownError(ctx.name, req.idempotencyKey, lastReason);
  conditions.set('unreachable', { retryAt: clock.now() + policy.pauseAfterRefusalMs, detail: lastReason });
  throw new ComfyUnreachableError(ctx.name, new Error(lastReason));
}

/** Seconds to wait before trying again, per the SDK: any 429 with Retry-After, or queue_full without. */
function queueWait(e: ServiceError): number | undefined {
  if (e.httpStatus !== 429) return undefined;
  if (e.retryAfter !== null && e.retryAfter !== undefined) return e.retryAfter;
  return e.code === 'queue_full' ? DEFAULT_RETRY_AFTER_S : undefined;
}

/** A definite 4xx: the backend's condition changes, or the workflow is wrong, or the job already exists. */
async function refused(ctx: SubmitContext, req: SubmitRequest, e: ServiceError): Promise<LowJob> {
  const { clock, conditions, policy } = ctx;
  const detail = redact(`${e.code}: ${e.message}`, ctx.secret);
  if (e.httpStatus === 402 || e.code === 'insufficient_credits') {
    const retryAt = clock.now() + policy.outOfCreditsRetryMs;
    conditions.set('out_of_credits', { retryAt, detail });
    ctx.log?.('warn', 'backend out of credits', { backend: ctx.name, retryAt });
    throw new OutOfCreditsError(ctx.name, retryAt);
  }
  if (e.httpStatus === 429) {
    const retryAt = clock.now() + (e.retryAfter ?? DEFAULT_RETRY_AFTER_S) * 1000;
    conditions.set('queue_full', { retryAt, detail });
    throw new QueueFullError(ctx.name, retryAt);
  }
  if (e.httpStatus === 401 || e.httpStatus === 403) {
    const retryAt = clock.now() + policy.pauseAfterRefusalMs;
    conditions.set('unauthorized', { retryAt, detail });
    throw new UnauthorizedError(ctx.name, e.httpStatus, retryAt);
  }
  if (e.code === 'idempotency_key_reuse') return adopt(ctx, req, e);
  if (e.httpStatus === 422 || e.httpStatus === 400 || e.httpStatus === 409) {
    throw toValidationError(e, req.graph as never, ctx.secret);
  }
  throw new ComfyHttpError(e.httpStatus, 'POST', '/api/v2/jobs', detail);
}

/**
 * The key was already used: an earlier attempt (this process's, or one before a restart) created the
 * job. Follow that job if the refusal names it; otherwise say so rather than risk a second run.
 */
async function adopt(ctx: SubmitContext, req: SubmitRequest, e: ServiceError): Promise<LowJob> {
  const jobId = e.details?.job_id;
  if (typeof jobId !== 'string' || jobId === '') {
    throw new SubmitOutcomeUnknownError(ctx.name, req.idempotencyKey, 'the key was already used');
  }
  ctx.log?.('info', 'submit was accepted earlier; following that job', { backend: ctx.name, job: jobId });
  try {
    const job = await ctx.low.getJob(jobId, { signal: req.signal });
    ctx.conditions.ready();
    return job;
  } catch (error) {
    throw new SubmitOutcomeUnknownError(ctx.name, req.idempotencyKey, redact(describe(error), ctx.secret));
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string } | undefined;
  return cause?.code ?? error.message;
}
