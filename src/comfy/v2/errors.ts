import { ComfyError } from '../errors.ts';

/**
 * Why a Comfy API v2 backend cannot take work right now, as the pool sees it. `ready` is the normal
 * state; the others come from the service's own answers (402, 429, 401/403) or from not reaching it.
 */
export type V2BackendState = 'ready' | 'out_of_credits' | 'queue_full' | 'unauthorized' | 'unreachable';

/** 402 `insufficient_credits`: the account has no credits left; nothing ran. */
export class OutOfCreditsError extends ComfyError {
  readonly backendState = 'out_of_credits' as const;
  /** When the client will try this backend again (until then it refuses submits without asking). */
  readonly retryAt: number;
  constructor(backend: string, retryAt: number) {
    super('COMFY_OUT_OF_CREDITS', `${backend} is out of credits: nothing was run there`);
    this.retryAt = retryAt;
  }
}

/** 429 `queue_full` (or `deployment_not_ready`) after the SDK's bounded backoff; nothing ran. */
export class QueueFullError extends ComfyError {
  readonly backendState = 'queue_full' as const;
  readonly retryAt: number;
  constructor(backend: string, retryAt: number) {
    super('COMFY_QUEUE_FULL', `${backend} has a full queue: nothing was run there`);
    this.retryAt = retryAt;
  }
}

/** 401/403: the API key is missing, wrong or not allowed; nothing ran. */
export class UnauthorizedError extends ComfyError {
  readonly backendState = 'unauthorized' as const;
  readonly retryAt: number;
  constructor(backend: string, status: number, retryAt: number) {
    super(
      'COMFY_UNAUTHORIZED',
      `${backend} refused the API key (HTTP ${status}): check the key in the configuration`,
    );
    this.retryAt = retryAt;
  }
}

/**
 * A submit whose outcome is unknown: the service may have created the job (a 5xx or a dropped answer)
 * and the retries with the same idempotency key did not say which job it is. The job must NOT be
 * submitted again under another key, or it could run (and be paid for) twice; retrying with this same
 * `idempotencyKey` is safe and either creates it once or is refused.
 */
export class SubmitOutcomeUnknownError extends ComfyError {
  readonly idempotencyKey: string;
  constructor(backend: string, idempotencyKey: string, reason: string) {
    super(
      'COMFY_SUBMIT_UNKNOWN',
      `${backend} may have accepted the job but did not confirm it (${reason}); it was not submitted again`,
    );
    this.idempotencyKey = idempotencyKey;
  }
}

/** Replaces every occurrence of the secret; the key never reaches a message, a log line or an error. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}
