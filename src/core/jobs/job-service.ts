import type { UserMessage } from '../../shared/i18n.ts';
import { err, type Result } from '../../shared/result.ts';
import { admit } from './admission.ts';
import { cancel } from './cancel.ts';
import { markDeleted, updateDelivery } from './delivery.ts';
import { every } from './engine-clock.ts';
import { EngineClosedError, type EngineContext, getJob, type LiveJob } from './engine-context.ts';
import { type JobEngineOptions, type SubmitInput, withDefaults } from './engine-options.ts';
import { JobUpdates, type TransitionListener, type UpdateListener } from './job-updates.ts';
import type { FrontEnd } from './ports.ts';
import { queuePump } from './queue-pump.ts';
import { position, type QueueSnapshot, queueSnapshot } from './queue-view.ts';
import { recover } from './recovery.ts';
import { ownerKey, type JobRecord, type Requester } from './types.ts';
import { expireWaiting } from './waiting-expiry.ts';

export type {
  DurationEstimate,
  JobEngineHooks,
  JobEngineOptions,
  SubmitInput,
  WorkflowBinder,
} from './engine-options.ts';

/**
 * The platform-neutral job service: validate → quota → fair queue → dispatch to a backend → watch →
 * deliver, with every transition persisted so a restart loses nothing. Front ends only call `submit`,
 * `cancel`, `get`, `listForUser`, `queueSnapshot`, and register a FrontEnd to present updates, which the
 * engine paces at the interval each front end declares.
 */
export class JobEngine {
  readonly #ctx: EngineContext;
  readonly #inFlight = new Set<Promise<unknown>>();
  #accepting = true;
  #stopExpiry: (() => void) | undefined;

  constructor(options: JobEngineOptions) {
    const o = withDefaults(options);
    const frontEnds = new Map<string, FrontEnd>();
    const live = new Map<string, LiveJob>();
    const ctx: EngineContext = {
      o,
      frontEnds,
      jobs: new Map(),
      live,
      closed: false,
      updates: new JobUpdates({
        frontEnds,
        defaultIntervalMs: o.updateIntervalMs,
        clock: o.clock,
        hooks: o.hooks,
        log: o.log,
        // The preview went out with this update: later ones need not carry it again.
        sent: (u) => {
          const l = live.get(u.job.id);
          if (l && u.preview && l.preview === u.preview) l.preview = undefined;
        },
      }),
      track: (task) => this.#track(task),
      pump: () => {},
    };
    ctx.pump = queuePump(ctx);
    this.#ctx = ctx;
    // Another process freed a running slot (shared quotas): a waiting job here may start now.
    o.quota.onCanStart?.(() => {
      if (!this.#ctx.closed) this.#ctx.pump();
    });
  }

  registerFrontEnd(frontEnd: FrontEnd): void {
    this.#ctx.frontEnds.set(frontEnd.platform, frontEnd);
  }

  /** Every update of every job (metrics, HTTP streams). */
  onUpdate(listener: UpdateListener): () => void {
    return this.#ctx.updates.onUpdate(listener);
  }

  /** Every persisted state transition, uncoalesced (tests, audit, metrics). */
  onTransition(listener: TransitionListener): () => void {
    return this.#ctx.updates.onTransition(listener);
  }

  /** Updates of one job, paced, the last one terminal. */
  subscribe(jobId: string, listener: UpdateListener): () => void {
    return this.#ctx.updates.subscribe(jobId, listener);
  }

  /** Loads every unfinished job and picks each up where it was. */
  async start(): Promise<void> {
    await recover(this.#ctx);
    this.#stopExpiry = every(this.#ctx.o.clock, 1000, () => this.#track(expireWaiting(this.#ctx)));
    this.#ctx.pump();
  }

  /** Accepts a job or says why not; nothing is queued when the answer is an error. */
  submit(input: SubmitInput): Promise<Result<JobRecord, UserMessage>> {
    if (!this.#accepting) return Promise.resolve(err({ code: 'jobs.shuttingDown' }));
    return admit(this.#ctx, input);
  }

  get(id: string): Promise<JobRecord | undefined> {
    return getJob(this.#ctx, id);
  }

  listForUser(
    requester: Pick<Requester, 'platform' | 'userId' | 'identity'>,
    limit = 20,
  ): Promise<JobRecord[]> {
    return this.#ctx.o.store.byOwner(ownerKey(requester), limit);
  }

  /**
   * Records where a front end shows the job (the status message it sent), so updates and the result
   * reach the same place after a restart.
   */
  updateDelivery(id: string, patch: Record<string, unknown>): Promise<JobRecord | undefined> {
    return updateDelivery(this.#ctx, id, patch);
  }

  /** Marks a finished job's result as deleted (its message was removed). */
  markDeleted(id: string): Promise<JobRecord | undefined> {
    return markDeleted(this.#ctx, id);
  }

  /** Queue position (0 = next) and ETA of a waiting job. */
  position(id: string): { position: number; etaMs: number } | undefined {
    return position(this.#ctx, id);
  }

  queueSnapshot(): QueueSnapshot {
    return queueSnapshot(this.#ctx);
  }

  /** Cancels a job of the requester's own (or any, for an admin). Another person's job is refused. */
  cancel(id: string, by: Requester, opts: { admin?: boolean } = {}): Promise<Result<JobRecord, UserMessage>> {
    return cancel(this.#ctx, id, by, opts);
  }

  /** Stops taking jobs, persists, and lets deliveries under way finish within the deadline. */
  async shutdown(deadlineMs = 10_000): Promise<void> {
    this.#accepting = false;
    this.#stopExpiry?.();
    const { clock } = this.#ctx.o;
    let timer: ReturnType<typeof clock.setTimeout> | undefined;
    const deadline = new Promise((r) => {
      timer = clock.setTimeout(() => r(undefined), deadlineMs);
      timer.unref?.();
    });
    await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
    clock.clearTimeout(timer);
    this.#ctx.closed = true;
    this.#ctx.updates.close();
  }

  #track(task: Promise<unknown>): void {
    this.#inFlight.add(task);
    task
      .catch((error) => {
        if (!(error instanceof EngineClosedError))
          this.#ctx.o.log?.error({ err: String(error) }, 'job task failed');
      })
      .finally(() => this.#inFlight.delete(task));
  }
}
