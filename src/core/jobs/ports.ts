import type { Result } from '#shared/result.ts';
import type { UserMessage } from '#shared/i18n.ts';
import type { DeliveryTarget, JobRecord, JobUpdate, Platform, Requester } from './types.ts';

/** Durable job records. Every state transition goes through `put` before anyone is told about it. */
export interface JobStore {
  get(id: string): Promise<JobRecord | undefined>;
  put(job: JobRecord): Promise<void>;
  /** Every job not in a terminal state, for recovery. */
  active(): Promise<JobRecord[]>;
  byOwner(ownerKey: string, limit: number): Promise<JobRecord[]>;
  /** Claims an idempotency key for a job id; returns the job id that already holds it, if any. */
  claim(key: string, jobId: string, ttlMs: number): Promise<string | undefined>;
}

/** Input images, kept so a job can be re-dispatched after a restart. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
}

export interface QuotaRefusal {
  message: UserMessage;
  retryAfterMs?: number;
  limit: string;
}

/** Quotas, by job: admitted at submit, started at dispatch, finished or released at the end. */
export interface QuotaGate {
  admit(jobId: string, requester: Requester): Promise<Result<{ priority: number }, QuotaRefusal>>;
  /** Whether the owner has a free running slot now (running jobs per person). */
  canStart(jobId: string): boolean;
  /** Optional: `listener` runs when `canStart` may have turned true from outside (another process). */
  onCanStart?(listener: () => void): void;
  started(jobId: string): void;
  finished(jobId: string, gpuMs: number): void;
  /** The job ended without using the GPU (canceled while waiting, refused by ComfyUI). */
  released(jobId: string): void;
  /** After a restart: re-count the jobs that are still waiting or running. */
  restore(jobs: readonly JobRecord[]): Promise<void>;
  /** Shared mode: holds of jobs taken from another process, counted already (as they stand). */
  adopt?(jobs: readonly JobRecord[]): void;
  /** Shared mode: another process handles the job now; drop its hold here without ending it. */
  forget?(jobId: string): void;
}

/** A fair queue of job ids, round-robin between owners. */
export interface JobQueue {
  enqueue(id: string, ownerKey: string, priority: number): void;
  remove(id: string): boolean;
  /** The next id whose job `canTake` accepts; skipped ones keep their turn. */
  next(canTake: (id: string) => boolean): string | undefined;
  position(id: string): number | undefined;
  readonly size: number;
}

/**
 * What the safety stage decided for one file, set before `deliver` (absent when screening is off or the
 * file is not visual). Front ends present it: `spoiler` → hidden behind a spoiler, `blur` → post
 * `blurred` in the file's place and offer the original privately to the requester, `block` → post
 * nothing and tell the requester privately.
 */
export interface FileSafety {
  action: 'allow' | 'spoiler' | 'blur' | 'block';
  /** Which threshold tripped ('none' when the file is fine). */
  rule: 'explicit' | 'suggestive' | 'unknown' | 'none';
  /** The model's scores (absent when the classifier could not answer: then `rule` says `unknown`). */
  scores?: Record<string, number>;
  /** With `blur`: the stand-in to post (a JPEG). */
  blurred?: { bytes: Buffer; mime: string };
}

/** A file a job produced, read from its backend and ready to hand to a person. */
export interface ResultFile {
  node: string;
  kind: 'image' | 'video' | 'audio' | 'file';
  filename: string;
  mime: string;
  bytes: Buffer;
  /** Set by the safety stage, before delivery. */
  safety?: FileSafety;
}

/** A finished job's deliverables. */
export interface JobResult {
  files: ResultFile[];
  texts: { node: string; text: string }[];
}

/**
 * What a front end (Discord, Telegram, HTTP, CLI) gives the engine: how to show progress and how to hand
 * over a result. `deliver` must be idempotent for a job id: after a crash it may be called again.
 */
export interface FrontEnd {
  readonly platform: Platform;
  /**
   * Minimum spacing of this job's updates on its target (platform edit limits). The engine is the one
   * that paces updates; a front end only declares the interval.
   */
  updateIntervalMs?(job: JobRecord): number;
  /**
   * Where the job's updates appear, when several jobs share one rate limit (a Telegram chat): updates
   * to one target are spaced by the interval together. Default: each job is its own target.
   */
  updateTarget?(job: JobRecord): string;
  update(update: JobUpdate): Promise<void> | void;
  deliver(job: JobRecord, result: JobResult): Promise<void>;
  /**
   * A request this front end announced (`JobEngine.expect`) never became a job: the process that took
   * it died first. Tell the person where they asked, so they can ask again.
   */
  interrupted?(target: DeliveryTarget, message: UserMessage): Promise<void>;
}
