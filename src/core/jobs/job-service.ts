import type { UserMessage } from '#shared/i18n.ts';
import { err, type Result } from '#shared/result.ts';
import { admit } from './admission.ts';
import './catalog-engine.ts';
import { cancel } from './cancel.ts';
import { markDeleted, updateDelivery } from './delivery.ts';
import { every } from './engine-clock.ts';
import { critical, type EngineContext, getJob, isStop, type LiveJob } from './engine-context.ts';
import { type JobEngineOptions, type SubmitInput, withDefaults } from './engine-options.ts';
import { expect, fulfilled } from './interrupted-requests.ts';
import { JobUpdates, type TransitionListener, type UpdateListener } from './job-updates.ts';
import type { FrontEnd } from './ports.ts';
import { queuePump } from './queue-pump.ts';
import { refreshWaitingJobs } from './queue-refresh.ts';
import { position, type QueueSnapshot, queueSnapshot } from './queue-view.ts';
import { recover } from './recovery.ts';
import { startShared } from './cluster-start.ts';
import { type DeliveryTarget, type JobRecord, ownerKey, type Requester } from './types.ts';
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
  #stopTimers: (() => void) | undefined;

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
      stopping: false,
      critical: new Set(),
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
      track: (task, isCritical) => this.#track(isCritical ? critical(ctx, task) : task),
      pump: () => {},
    };
    ctx.pump = queuePump(ctx);
    refreshWaitingJobs(ctx);
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

  /**
   * Picks up every unfinished job where it was: this process's own (alone), or in shared mode any whose
   * process is gone, from now on too.
   */
  async start(): Promise<void> {
    const ctx = this.#ctx;
    const stops: (() => void)[] = [];
    if (ctx.o.shared) stops.push(await startShared(ctx, ctx.o.shared));
    else await recover(ctx);
    stops.push(
      every(ctx.o.clock, 1000, () => {
        this.#track(expireWaiting(ctx));
        // Waits grow and service refusals lift with time: an overflow backend may now take a job.
        if (ctx.o.pool.backends.some((b) => b.overflow || b.cloud)) ctx.pump();
      }),
    );
    this.#stopTimers = () => {
      for (const stop of stops) stop();
    };
    ctx.pump();
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

  /**
   * A front end answered a request ("working on it") before asking for its job: recorded (shared mode)
   * until `fulfilled`, so that if this process dies in between, another tells the person it was
   * interrupted (`FrontEnd.interrupted`) instead of leaving them waiting. `key` is the request's
   * idempotency key; `target`, where to tell them.
   */
  expect(key: string, target: DeliveryTarget): Promise<void> {
    return expect(this.#ctx, key, target);
  }

  /** The front end is done with an expected request (its job exists, or it answered otherwise). */
  fulfilled(key: string): Promise<void> {
    return fulfilled(this.#ctx, key);
  }

  /** Marks a finished job's result as deleted (its message was removed). */
  markDeleted(id: string): Promise<JobRecord | undefined> {
    return markDeleted(this.#ctx, id);
  }

  /** Queue position (0 = next) and ETA of a waiting job. */
  position(id: string): { position: number; etaMs?: number } | undefined {
    return position(this.#ctx, id);
  }

  queueSnapshot(): QueueSnapshot {
    return queueSnapshot(this.#ctx);
  }

  /** Cancels a job of the requester's own (or any, for an admin). Another person's job is refused. */
  cancel(id: string, by: Requester, opts: { admin?: boolean } = {}): Promise<Result<JobRecord, UserMessage>> {
    return cancel(this.#ctx, id, by, opts);
  }

  /** Submits and deliveries under way (what `shutdown` waits for). */
  get inFlight(): number {
    return this.#ctx.critical.size;
  }

  /**
   * Stops taking jobs and lets the submits and deliveries under way finish, within the deadline. Jobs
   * still running on ComfyUI are not waited for: they are persisted, and picked up where they are by
   * the next start, or at once (shared mode) by another process, since this one lets go of them.
   * Returns how many jobs it let go of.
   */
  async shutdown(deadlineMs = 10_000): Promise<{ handedOff: number; unfinished: number }> {
    const ctx = this.#ctx;
    this.#accepting = false;
    ctx.stopping = true;
    this.#stopTimers?.();
    const { clock } = ctx.o;
    let timer: ReturnType<typeof clock.setTimeout> | undefined;
    const deadline = new Promise((r) => {
      timer = clock.setTimeout(() => r(undefined), deadlineMs);
      timer.unref?.();
    });
    await Promise.race([waitUntilEmpty(ctx.critical), deadline]);
    clock.clearTimeout(timer);
    const unfinished = ctx.critical.size;
    let handedOff = 0;
    const shared = ctx.o.shared;
    if (shared) {
      for (const id of [...ctx.jobs.keys()].filter((jobId) => shared.holds(jobId))) {
        await shared.handOff(id).catch(() => {});
        handedOff++;
      }
    }
    ctx.closed = true;
    ctx.updates.close();
    await shared?.close();
    return { handedOff, unfinished };
  }

  #track(task: Promise<unknown>): void {
    this.#inFlight.add(task);
    task
      .catch((error) => {
        if (!isStop(error)) this.#ctx.o.log?.error({ err: String(error) }, 'job task failed');
      })
      .finally(() => this.#inFlight.delete(task));
  }
}

/** Resolves once the set (of tasks that remove themselves when done) is empty. */
async function waitUntilEmpty(tasks: Set<Promise<unknown>>): Promise<void> {
  while (tasks.size > 0) await Promise.allSettled([...tasks]);
}
