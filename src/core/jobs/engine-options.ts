import type { UserMessage } from '#shared/i18n.ts';
import type { Result } from '#shared/result.ts';
import type { BackendPool } from '../pool/backend-pool.ts';
import { CloudBudget, type CloudBudgetLedger } from '../quota/cloud-budget.ts';
import { type Clock, realClock } from './engine-clock.ts';
import type { BlobStore, JobQueue, JobStore, QuotaGate } from './ports.ts';
import type { SharedJobs } from './cluster-jobs.ts';
import type { ResultScreen } from './result-screen.ts';
import type { DeliveryTarget, JobRecord, JobRequest, JobState, Requester } from './types.ts';

/** Turns a validated request into a ComfyUI workflow; provided by the workflow layer. */
export type WorkflowBinder = (
  request: JobRequest,
  jobId: string,
) => Result<
  { workflow: Record<string, unknown>; seed: number; imageTargets: { node: string; input: string }[] },
  UserMessage
>;

export interface JobEngineHooks {
  onTransition?(job: JobRecord, from: JobState | undefined): void;
  onQuotaRefused?(limit: string): void;
  onWait?(job: JobRecord, waitedMs: number): void;
  onRun?(job: JobRecord, ranMs: number): void;
}

export interface DurationEstimate {
  /** `work`: the run's amount of GPU work (`workOf` in core/scheduler/duration-estimator.ts), 1 if unknown. */
  record(template: string, backend: string, ms: number, work?: number): void;
  estimate(template: string): number;
  /** How long `work` units of the template take, from measured runs; undefined until one was measured. */
  measured?(template: string, work?: number, backend?: string): number | undefined;
}

export interface EngineLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface JobEngineOptions {
  store: JobStore;
  blobs: BlobStore;
  quota: QuotaGate;
  queue: JobQueue;
  pool: BackendPool;
  bind: WorkflowBinder;
  durations: DurationEstimate;
  /** What overflow (paid) backends may still spend; default: counted in memory only. */
  budget?: CloudBudgetLedger;
  /** Attempts on different backends before a job whose backend died fails (default 3). */
  maxAttempts?: number;
  /** A waiting job that no backend can take for this long fails with a reason (default 300 s). */
  waitForBackendMs?: number;
  /** Spacing of progress updates for a front end that declares none (default 1 s). */
  updateIntervalMs?: number;
  /** Attempts to hand a result to a front end before giving up (default 5). */
  deliveryAttempts?: number;
  /**
   * The queue and running jobs shared by every process on one Redis (`RedisSharedJobs`): jobs are taken
   * from it by any process with room, and taken over when their process dies. Absent: this process
   * alone (the local `queue`), recovering its own jobs at start.
   */
  shared?: SharedJobs;
  /**
   * Shared mode: a request a front end announced (`expect`) whose job does not exist this long after is
   * taken for interrupted (its process died) and its person told so (default 20 s).
   */
  interruptedAfterMs?: number;
  /** This process's name, stored on the jobs it handles (in shared mode, `shared.instanceId`). */
  instanceId?: string;
  /** Time and timers (default real); tests pass a manual clock. */
  clock?: Clock;
  /** Image safety: results screened before delivery, previews per the place's policy. Absent: none. */
  safety?: ResultScreen;
  hooks?: JobEngineHooks;
  log?: EngineLog;
}

export type EngineSettings = Required<Omit<JobEngineOptions, 'hooks' | 'log' | 'shared' | 'safety'>> &
  Pick<JobEngineOptions, 'hooks' | 'log' | 'shared' | 'safety'>;

export function withDefaults(options: JobEngineOptions): EngineSettings {
  return {
    ...options,
    maxAttempts: options.maxAttempts ?? 3,
    waitForBackendMs: options.waitForBackendMs ?? 300_000,
    updateIntervalMs: options.updateIntervalMs ?? 1000,
    deliveryAttempts: options.deliveryAttempts ?? 5,
    instanceId: options.shared?.instanceId ?? options.instanceId ?? 'main',
    interruptedAfterMs: options.interruptedAfterMs ?? 20_000,
    clock: options.clock ?? realClock,
    budget: options.budget ?? new CloudBudget(),
  };
}

export interface SubmitInput {
  requester: Requester;
  request: JobRequest;
  delivery?: DeliveryTarget;
  /** The platform event id (interaction id, update id, Idempotency-Key) so a redelivered event makes one job. */
  idempotencyKey?: string;
  /** Bytes of an input image, stored durably with the job. */
  inputImage?: { bytes: Uint8Array; mime: string };
}
