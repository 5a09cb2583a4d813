/** One scripted answer to the next POST /api/v2/jobs, instead of the normal one. */
export interface ScriptedAnswer {
  status: number;
  /** Error envelope code; by default the one the spec gives the status (402 → insufficient_credits…). */
  code?: string;
  message?: string;
  /** `Retry-After`, in seconds. */
  retryAfter?: number;
  details?: Record<string, unknown>;
  /**
   * Create (and run) the job and claim its idempotency key first, then answer with this status: the
   * answer is lost on its way, the job is not.
   */
  afterAccept?: boolean;
}

export interface FakeCloudOptions {
  /** The bearer key every /api/v2 request must carry; none: no auth. */
  apiKey?: string;
  /** Sampler steps each job reports (default 4). */
  steps?: number;
  /** Time per step (default 10 ms). */
  stepDelayMs?: number;
  /** Jobs the service runs at once; the rest wait in its queue (default 1). */
  concurrency?: number;
  /** Jobs its queue holds beyond those running before it answers 429 queue_full (default 100). */
  maxQueue?: number;
  /** GET …/content answers 302 to a signed URL on a second origin, which serves the bytes. */
  redirectDownloads?: boolean;
  /** A careless server: every error message quotes the Authorization header it was sent. */
  echoKeyInErrors?: boolean;
  /** The 422 idempotency_key_reuse answer names the job the key made (default true). */
  reuseNamesJob?: boolean;
  /** false: GET …/events answers 501, as a deployment without live streaming does. */
  sse?: boolean;
}

/** What the test changes while the stand-in runs. */
export interface FakeCloudScript {
  /** Consumed one per POST /api/v2/jobs, in order. */
  submitAnswers: ScriptedAnswer[];
  /** Jobs stay running after their last step until `release()` (which turns this off). */
  hold: boolean;
  /** The next job to run fails with this error. */
  failNext?: { code: string; message: string; node_id?: string; class_type?: string; traceback?: string };
}

/** What the stand-in saw, for assertions. */
export interface FakeCloudStats {
  /** POST /api/v2/jobs requests received, answered or not. */
  submits: number;
  /** Ids of the jobs that started executing, in order: each id once per real run. */
  runs: string[];
  /** Most jobs queued or running at the same time. */
  maxActive: number;
  /** Full multipart uploads (dedup hits do not count). */
  uploads: number;
  /** Idempotency keys received, in order. */
  keys: string[];
  /** `Authorization` header (or undefined) of each request to the signed-URL origin. */
  signedAuth: (string | undefined)[];
  /** extra_data of each accepted job. */
  extraData: unknown[];
}

export const DEFAULT_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  402: 'insufficient_credits',
  403: 'forbidden',
  404: 'not_found',
  409: 'hash_mismatch',
  422: 'invalid_workflow',
  429: 'queue_full',
  500: 'upstream_error',
  502: 'upstream_error',
  503: 'upstream_error',
};
