import { randomUUID } from 'node:crypto';
import {
  ComfyUnreachableError,
  ComfyValidationError,
  type ComfyJobEvent,
  type PromptOutcome,
} from '../../comfy/index.ts';
import type { UserMessage } from '../../shared/i18n.ts';
import type { Backend } from '../pool/backend.ts';
import type { BackendPool } from '../pool/backend-pool.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { Coalescer } from './coalescer.ts';
import { failureMessage } from './failure-message.ts';
import { newJobId } from './job-id.ts';
import type { BlobStore, FrontEnd, JobQueue, JobStore, QuotaGate } from './ports.ts';
import { readResult } from './read-result.ts';
import {
  type DeliveryTarget,
  isTerminal,
  type JobProgress,
  type JobRecord,
  type JobRequest,
  type JobState,
  type JobUpdate,
  ownerKey,
  type Requester,
} from './types.ts';

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
  record(template: string, backend: string, ms: number): void;
  estimate(template: string): number;
}

export interface JobEngineOptions {
  store: JobStore;
  blobs: BlobStore;
  quota: QuotaGate;
  queue: JobQueue;
  pool: BackendPool;
  bind: WorkflowBinder;
  durations: DurationEstimate;
  /** Attempts on different backends before a job whose backend died fails (default 3). */
  maxAttempts?: number;
  /** A waiting job that no backend can take for this long fails with a reason (default 300 s). */
  waitForBackendMs?: number;
  /** Default spacing of progress updates (default 1 s). */
  updateIntervalMs?: number;
  /** Attempts to hand a result to a front end before giving up (default 5). */
  deliveryAttempts?: number;
  /**
   * This process's name among several sharing one Redis (e.g. a Discord shard): recovery takes only
   * the jobs this instance owned. Default `main`.
   */
  instanceId?: string;
  hooks?: JobEngineHooks;
  log?: {
    info(o: object, m?: string): void;
    warn(o: object, m?: string): void;
    error(o: object, m?: string): void;
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

type Listener = (u: JobUpdate) => void;

interface LiveJob {
  coalescer: Coalescer<JobUpdate>;
  progress?: JobProgress;
  cancelRequested?: boolean;
  queuedAt: number;
  excluded: Set<string>;
  /** The backend a job left after it died there; shown until the job ends. */
  movedFrom?: string;
  /** The newest preview not yet handed to the front end. */
  preview?: { mime: string; data: Uint8Array };
}

/**
 * The platform-neutral job service: validate → quota → fair queue → dispatch to a backend → watch →
 * deliver, with every transition persisted so a restart loses nothing. Front ends only call `submit`,
 * `cancel`, `get`, `listForUser`, `queueSnapshot`, and register a FrontEnd to present updates.
 */
export class JobEngine {
  readonly #o: Required<Omit<JobEngineOptions, 'hooks' | 'log'>> & Pick<JobEngineOptions, 'hooks' | 'log'>;
  readonly #frontEnds = new Map<string, FrontEnd>();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #allListeners = new Set<Listener>();
  readonly #transitionListeners = new Set<(job: JobRecord, from: JobState | undefined) => void>();
  #closed = false;
  readonly #live = new Map<string, LiveJob>();
  readonly #jobs = new Map<string, JobRecord>();
  #accepting = true;
  #pumping = false;
  #pumpAgain = false;
  #expiryTimer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: JobEngineOptions) {
    this.#o = {
      ...options,
      maxAttempts: options.maxAttempts ?? 3,
      waitForBackendMs: options.waitForBackendMs ?? 300_000,
      updateIntervalMs: options.updateIntervalMs ?? 1000,
      deliveryAttempts: options.deliveryAttempts ?? 5,
      instanceId: options.instanceId ?? 'main',
    };
    // Another process freed a running slot (shared quotas): a waiting job here may start now.
    options.quota.onCanStart?.(() => {
      if (!this.#closed) this.#pump();
    });
  }

  registerFrontEnd(frontEnd: FrontEnd): void {
    this.#frontEnds.set(frontEnd.platform, frontEnd);
  }

  /** Every update of every job (metrics, HTTP streams). */
  onUpdate(listener: Listener): () => void {
    this.#allListeners.add(listener);
    return () => this.#allListeners.delete(listener);
  }

  /** Every persisted state transition, uncoalesced (tests, audit, metrics). */
  onTransition(listener: (job: JobRecord, from: JobState | undefined) => void): () => void {
    this.#transitionListeners.add(listener);
    return () => this.#transitionListeners.delete(listener);
  }

  /** Updates of one job, coalesced, the last one terminal. */
  subscribe(jobId: string, listener: Listener): () => void {
    let set = this.#listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.#listeners.set(jobId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Loads every unfinished job and picks each up where it was. */
  async start(): Promise<void> {
    const active = (await this.#o.store.active()).filter(
      (j) => (j.instance ?? 'main') === this.#o.instanceId,
    );
    // A job in `delivering` already gave its quota back (`finished`) before it got there.
    await this.#o.quota.restore(active.filter((j) => j.state !== 'delivering'));
    for (const job of active.sort((a, b) => a.createdAt - b.createdAt)) {
      this.#jobs.set(job.id, job);
      this.#liveFor(job);
      if (job.state === 'queued') this.#enqueue(job);
      else if (job.state === 'delivering') this.#track(this.#deliver(job));
      else this.#track(this.#reattach(job));
    }
    this.#expiryTimer = setInterval(() => void this.#expireWaiting(), 1000);
    this.#expiryTimer.unref();
    this.#pump();
  }

  /** Accepts a job or says why not; nothing is queued when the answer is an error. */
  async submit(input: SubmitInput): Promise<Result<JobRecord, UserMessage>> {
    if (!this.#accepting) return err({ code: 'jobs.shuttingDown' });
    const id = newJobId();
    if (input.idempotencyKey) {
      const existing = await this.#o.store.claim(input.idempotencyKey, id, 24 * 3600_000);
      if (existing) {
        // The first delivery may still be between its claim and its first save.
        for (let i = 0; i < 100; i++) {
          const job = await this.get(existing);
          if (job) return ok(job);
          await new Promise((r) => setTimeout(r, 20));
        }
        return err({ code: 'jobs.duplicate' });
      }
    }
    const request: JobRequest = { ...input.request };
    if (input.inputImage) {
      const key = `input:${id}`;
      request.inputImage = { key, mime: input.inputImage.mime };
    }
    const bound = this.#o.bind(request, id);
    if (!bound.ok) return bound;
    const fit = this.#o.pool.mightRun(bound.value.workflow);
    if (!fit.possible) {
      return err(
        fit.problems[0] ?? { code: 'jobs.noCapableBackend', params: { template: request.template } },
      );
    }
    const admitted = await this.#o.quota.admit(id, input.requester);
    if (!admitted.ok) {
      this.#o.hooks?.onQuotaRefused?.(admitted.error.limit);
      return err(admitted.error.message);
    }
    if (input.inputImage && request.inputImage)
      await this.#o.blobs.put(request.inputImage.key, input.inputImage.bytes);
    const now = Date.now();
    const job: JobRecord = {
      id,
      owner: input.requester,
      ownerKey: ownerKey(input.requester),
      request,
      seed: bound.value.seed,
      state: 'queued',
      workflow: bound.value.workflow,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      delivery: input.delivery,
      idempotencyKey: input.idempotencyKey,
      priority: admitted.value.priority,
      instance: this.#o.instanceId,
      imageTargets: bound.value.imageTargets,
    };
    await this.#save(job, undefined);
    this.#liveFor(job);
    this.#enqueue(job);
    this.#pump();
    return ok(job);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return this.#jobs.get(id) ?? (await this.#o.store.get(id));
  }

  listForUser(
    requester: Pick<Requester, 'platform' | 'userId' | 'identity'>,
    limit = 20,
  ): Promise<JobRecord[]> {
    return this.#o.store.byOwner(ownerKey(requester), limit);
  }

  /**
   * Records where a front end shows the job (the status message it sent), so updates and the result
   * reach the same place after a restart.
   */
  async updateDelivery(id: string, patch: Record<string, unknown>): Promise<JobRecord | undefined> {
    const job = await this.get(id);
    if (!job?.delivery) return job;
    job.delivery = { ...job.delivery, ...patch, platform: job.delivery.platform };
    if (this.#jobs.has(id)) this.#jobs.get(id)!.delivery = job.delivery;
    await this.#o.store.put(job);
    return job;
  }

  /** Marks a finished job's result as deleted (its message was removed). */
  async markDeleted(id: string): Promise<JobRecord | undefined> {
    const job = await this.get(id);
    if (!job) return undefined;
    job.deletedAt = Date.now();
    await this.#o.store.put(job);
    return job;
  }

  /** Queue position (0 = next) and ETA of a waiting job. */
  position(id: string): { position: number; etaMs: number } | undefined {
    const job = this.#jobs.get(id);
    const position = this.#o.queue.position(id);
    if (!job || position === undefined) return undefined;
    const backends = Math.max(1, this.#o.pool.backends.filter((b) => b.healthy).length);
    const per = this.#o.durations.estimate(job.request.template);
    const running = this.#o.pool.backends.reduce((n, b) => n + b.jobs.size, 0);
    return { position, etaMs: Math.round(((position + running / backends) * per) / backends + per) };
  }

  queueSnapshot(): {
    waiting: number;
    running: number;
    backends: { name: string; healthy: boolean; jobs: number }[];
  } {
    return {
      waiting: this.#o.queue.size,
      running: this.#o.pool.backends.reduce((n, b) => n + b.jobs.size, 0),
      backends: this.#o.pool.backends.map((b) => ({ name: b.name, healthy: b.healthy, jobs: b.jobs.size })),
    };
  }

  /** Cancels a job of the requester's own (or any, for an admin). Another person's job is refused. */
  async cancel(
    id: string,
    by: Requester,
    opts: { admin?: boolean } = {},
  ): Promise<Result<JobRecord, UserMessage>> {
    const job = await this.get(id);
    if (!job) return err({ code: 'jobs.notFound', params: { id } });
    if (job.ownerKey !== ownerKey(by) && !opts.admin) return err({ code: 'jobs.notYours' });
    if (isTerminal(job.state)) return ok(job);
    const live = this.#liveFor(job);
    live.cancelRequested = true;
    if (job.state === 'queued') {
      this.#o.queue.remove(job.id);
      this.#o.quota.released(job.id);
      await this.#finish(job, 'canceled', { error: { code: 'jobs.canceled' } });
      return ok(job);
    }
    if (job.state === 'delivering') return ok(job);
    const backend = job.backend ? this.#o.pool.get(job.backend) : undefined;
    if (backend && job.promptId) await this.#cancelOn(backend, job, job.promptId);
    return ok(job);
  }

  async #cancelOn(backend: Backend, job: JobRecord, promptId: string): Promise<void> {
    try {
      await backend.client.cancel(promptId);
    } catch (error) {
      this.#o.log?.warn({ job: job.id, err: String(error) }, 'cancel on backend failed');
    }
  }

  /** Stops taking jobs, persists, and lets deliveries under way finish within the deadline. */
  async shutdown(deadlineMs = 10_000): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#expiryTimer);
    const all = Promise.allSettled([...this.#inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, deadlineMs).unref())]);
    this.#closed = true;
    for (const live of this.#live.values()) live.coalescer.close();
  }

  // === internals

  #track(p: Promise<unknown>): void {
    this.#inFlight.add(p);
    p.catch((error) => {
      if (!(error instanceof EngineClosedError))
        this.#o.log?.error({ err: String(error) }, 'job task failed');
    }).finally(() => this.#inFlight.delete(p));
  }

  #liveFor(job: JobRecord): LiveJob {
    let live = this.#live.get(job.id);
    if (!live) {
      const fe = job.delivery ? this.#frontEnds.get(job.delivery.platform) : undefined;
      const interval = fe?.updateIntervalMs?.(job) ?? this.#o.updateIntervalMs;
      live = {
        coalescer: new Coalescer<JobUpdate>(interval, (u) => this.#publish(u)),
        queuedAt: Date.now(),
        excluded: new Set(),
      };
      this.#live.set(job.id, live);
    }
    return live;
  }

  #publish(update: JobUpdate): void {
    const live = this.#live.get(update.job.id);
    if (live && update.preview && live.preview === update.preview) live.preview = undefined;
    for (const l of this.#allListeners) l(update);
    for (const l of this.#listeners.get(update.job.id) ?? []) l(update);
    const fe = update.job.delivery ? this.#frontEnds.get(update.job.delivery.platform) : undefined;
    if (fe) {
      Promise.resolve()
        .then(() => fe.update(update))
        .catch((error) =>
          this.#o.log?.warn({ job: update.job.id, err: String(error) }, 'front end update failed'),
        );
    }
    if (isTerminal(update.job.state)) this.#listeners.delete(update.job.id);
  }

  #notify(job: JobRecord, extra: Partial<JobUpdate> = {}): void {
    const live = this.#liveFor(job);
    if (extra.movedFrom) live.movedFrom = extra.movedFrom;
    const update: JobUpdate = {
      job: { ...job },
      progress: live.progress,
      ...this.position(job.id),
      ...(live.movedFrom ? { movedFrom: live.movedFrom } : {}),
      ...(live.preview && !isTerminal(job.state) ? { preview: live.preview } : {}),
      ...extra,
    };
    if (isTerminal(job.state)) {
      live.coalescer.final(update);
      this.#live.delete(job.id);
    } else {
      live.coalescer.push(update);
    }
  }

  async #save(job: JobRecord, from: JobState | undefined): Promise<void> {
    // After shutdown the store is closed; the job stays as last persisted and recovery resumes it.
    if (this.#closed) throw new EngineClosedError();
    job.updatedAt = Date.now();
    this.#jobs.set(job.id, job);
    await this.#o.store.put(job);
    this.#o.hooks?.onTransition?.(job, from);
    for (const l of this.#transitionListeners) l(job, from);
  }

  async #transition(
    job: JobRecord,
    state: JobState,
    patch: Partial<JobRecord> = {},
    extra: Partial<JobUpdate> = {},
  ) {
    const from = job.state;
    Object.assign(job, patch, { state });
    await this.#save(job, from);
    this.#notify(job, extra);
  }

  async #finish(
    job: JobRecord,
    state: 'succeeded' | 'failed' | 'canceled' | 'expired',
    patch: Partial<JobRecord> = {},
  ) {
    this.#release(job);
    await this.#transition(job, state, { ...patch, finishedAt: Date.now() });
    this.#jobs.delete(job.id);
    this.#pump();
  }

  #release(job: JobRecord): void {
    if (job.backend) this.#o.pool.get(job.backend)?.jobs.delete(job.id);
  }

  #enqueue(job: JobRecord): void {
    const live = this.#liveFor(job);
    live.queuedAt = Date.now();
    this.#o.queue.enqueue(job.id, job.ownerKey, job.priority);
    this.#notify(job);
  }

  /** Hands queued jobs to backends with room, fairly, until none fits. */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        for (;;) {
          // Nothing can be dispatched while every backend is full: don't scan the whole queue for nothing.
          if (!this.#o.pool.backends.some((b) => b.healthy && b.hasRoom)) break;
          let chosen: Backend | undefined;
          const id = this.#o.queue.next((candidate) => {
            const job = this.#jobs.get(candidate);
            if (!job) return true;
            if (!this.#o.quota.canStart(candidate)) return false;
            chosen = this.#o.pool.pick(job.workflow, this.#live.get(job.id)?.excluded);
            return chosen !== undefined;
          });
          if (!id) break;
          const job = this.#jobs.get(id);
          if (!job || !chosen) continue;
          chosen.jobs.add(job.id);
          this.#track(this.#dispatch(job, chosen));
        }
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
  }

  async #dispatch(job: JobRecord, backend: Backend): Promise<void> {
    // Before the first await: the pump's next `canStart` must already see this job running.
    this.#o.quota.started(job.id);
    const live = this.#liveFor(job);
    this.#o.hooks?.onWait?.(job, Date.now() - live.queuedAt);
    const promptId = randomUUID();
    const movedFrom = job.backend && job.backend !== backend.name ? job.backend : undefined;
    await this.#transition(
      job,
      'dispatched',
      { backend: backend.name, promptId, attempts: job.attempts + 1, dispatchedAt: Date.now() },
      movedFrom ? { movedFrom } : {},
    );
    let workflow = job.workflow;
    try {
      workflow = await this.#withInputImage(job, backend);
      const handle = await backend.client.submit(workflow as never, {
        promptId,
        extraData: job.request.extraData,
        onEvent: (e) => this.#onComfyEvent(job, e),
      });
      // Canceled while POST /prompt was on its way: that cancel could not reach the prompt yet.
      if (live.cancelRequested) void this.#cancelOn(backend, job, promptId);
      await this.#onOutcome(job, backend, await handle.done);
    } catch (error) {
      await this.#onSubmitError(job, backend, error);
    }
  }

  async #withInputImage(job: JobRecord, backend: Backend): Promise<Record<string, unknown>> {
    const image = job.request.inputImage;
    const targets = job.imageTargets ?? [];
    if (!image || targets.length === 0) return job.workflow;
    const bytes = await this.#o.blobs.get(image.key);
    if (!bytes) throw new Error(`input image ${image.key} is missing from storage`);
    const name = await backend.client.uploadImage(
      bytes,
      image.mime === 'image/jpeg' ? 'jpg' : image.mime.split('/')[1],
    );
    const workflow = structuredClone(job.workflow) as Record<string, { inputs: Record<string, unknown> }>;
    for (const t of targets) {
      const node = workflow[t.node];
      if (node) node.inputs[t.input] = name;
    }
    return workflow;
  }

  /** After a restart: watch a job that was on a backend, or queue it again if that backend is gone. */
  async #reattach(job: JobRecord): Promise<void> {
    const backend = job.backend ? this.#o.pool.get(job.backend) : undefined;
    if (!backend || !job.promptId) {
      // Keeps the admission restored for it, as a retry does.
      await this.#transition(job, 'queued');
      this.#enqueue(job);
      this.#pump();
      return;
    }
    backend.jobs.add(job.id);
    const handle = backend.client.attach(job.promptId, job.workflow as never, (e) =>
      this.#onComfyEvent(job, e),
    );
    await this.#onOutcome(job, backend, await handle.done);
  }

  #onComfyEvent(job: JobRecord, e: ComfyJobEvent): void {
    const live = this.#live.get(job.id);
    if (!live || isTerminal(job.state)) return;
    switch (e.type) {
      case 'queued':
        this.#notify(job, { position: e.position });
        break;
      case 'started':
        if (job.state === 'dispatched') {
          job.startedAt = Date.now();
          this.#track(this.#transition(job, 'running'));
        }
        break;
      case 'executing':
        live.progress = {
          ...(live.progress ?? { fraction: 0 }),
          node: e.node,
          nodeTitle: e.title ?? e.classType,
          step: undefined,
          steps: undefined,
        };
        this.#notify(job);
        break;
      case 'progress':
        live.progress = { ...(live.progress ?? { fraction: 0 }), step: e.value, steps: e.max };
        break;
      case 'overall': {
        const elapsed = job.startedAt ? Date.now() - job.startedAt : 0;
        const etaMs = e.fraction > 0.02 ? Math.round((elapsed / e.fraction) * (1 - e.fraction)) : undefined;
        live.progress = { ...(live.progress ?? { fraction: 0 }), fraction: e.fraction, etaMs };
        this.#notify(job);
        break;
      }
      case 'preview':
        // Kept until an update carrying it goes out: the progress event that follows each preview would
        // otherwise replace it in the coalescer, and front ends would never see a preview.
        live.preview = { mime: e.mime, data: e.data };
        this.#notify(job);
        break;
      default:
        break;
    }
  }

  async #onOutcome(job: JobRecord, backend: Backend, outcome: PromptOutcome): Promise<void> {
    const live = this.#liveFor(job);
    const ranMs = job.startedAt ? Date.now() - job.startedAt : 0;
    switch (outcome.type) {
      case 'succeeded': {
        this.#o.quota.finished(job.id, ranMs);
        this.#o.durations.record(job.request.template, backend.name, ranMs);
        this.#o.hooks?.onRun?.(job, ranMs);
        const outputs = outcome.outputs.map((o) => ({
          node: o.node,
          kind: o.kind,
          filename: o.file?.filename,
          subfolder: o.file?.subfolder,
          type: o.file?.type,
          text: o.text,
        }));
        await this.#transition(job, 'delivering', { outputs, finishedAt: Date.now() });
        await this.#deliver(job);
        return;
      }
      case 'failed':
        this.#o.quota.finished(job.id, ranMs);
        await this.#finish(job, 'failed', { error: failureMessage(outcome.error) });
        return;
      case 'interrupted':
      case 'canceled':
        if (live.cancelRequested) {
          this.#o.quota.finished(job.id, ranMs);
          await this.#finish(job, 'canceled', { error: { code: 'jobs.canceled' } });
        } else {
          this.#o.quota.finished(job.id, ranMs);
          await this.#finish(job, 'failed', { error: { code: 'jobs.interruptedByOperator' } });
        }
        return;
      case 'lost':
        await this.#retryElsewhere(job, backend, outcome.reason);
        return;
    }
  }

  async #onSubmitError(job: JobRecord, backend: Backend, error: unknown): Promise<void> {
    if (error instanceof ComfyValidationError) {
      this.#o.quota.released(job.id);
      const details = error.issues.map((i) => i.reason).join('; ');
      await this.#finish(job, 'failed', {
        error: { code: 'jobs.rejectedByComfy', params: { details: error.message || details } },
      });
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof ComfyUnreachableError) this.#o.pool.markUnhealthy(backend, reason);
    await this.#retryElsewhere(job, backend, reason);
  }

  async #retryElsewhere(job: JobRecord, backend: Backend, reason: string): Promise<void> {
    this.#o.log?.warn({ job: job.id, backend: backend.name, reason }, 'job lost on backend');
    this.#release(job);
    const live = this.#liveFor(job);
    if (live.cancelRequested) {
      this.#o.quota.released(job.id);
      await this.#finish(job, 'canceled', { error: { code: 'jobs.canceled' } });
      return;
    }
    if (job.attempts >= this.#o.maxAttempts) {
      this.#o.quota.released(job.id);
      await this.#finish(job, 'failed', {
        error: { code: 'jobs.backendLost', params: { attempts: job.attempts } },
      });
      return;
    }
    live.excluded.add(backend.name);
    if (live.excluded.size >= this.#o.pool.backends.length) live.excluded.clear();
    // The job keeps its admission (and its running slot) for the retry: it is not charged twice.
    await this.#transition(job, 'queued', { startedAt: undefined });
    this.#enqueue(job);
    this.#pump();
  }

  async #deliver(job: JobRecord): Promise<void> {
    const fe = job.delivery ? this.#frontEnds.get(job.delivery.platform) : undefined;
    const backend = job.backend ? this.#o.pool.get(job.backend) : undefined;
    if (job.delivery && !fe) {
      // Its front end is not running in this process: leave it for a start that has one.
      this.#o.log?.warn(
        { job: job.id, platform: job.delivery.platform },
        'no front end to deliver to; kept for later',
      );
      this.#release(job);
      this.#pump();
      return;
    }
    let lastError: unknown;
    for (let attempt = 0; attempt < this.#o.deliveryAttempts; attempt++) {
      try {
        const result = backend
          ? await readResult(backend.client, job.outputs ?? [])
          : { files: [], texts: [] };
        if (fe) await fe.deliver(job, result);
        await this.#finish(job, 'succeeded', { deliveredAt: fe ? Date.now() : undefined });
        return;
      } catch (error) {
        lastError = error;
        this.#o.log?.warn({ job: job.id, attempt, err: String(error) }, 'delivery failed');
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
      }
    }
    await this.#finish(job, 'failed', {
      error: {
        code: 'jobs.deliveryFailed',
        params: { reason: lastError instanceof Error ? lastError.message : String(lastError) },
      },
    });
  }

  async #expireWaiting(): Promise<void> {
    const now = Date.now();
    for (const [id, live] of this.#live) {
      const job = this.#jobs.get(id);
      if (job?.state !== 'queued') continue;
      if (now - live.queuedAt < this.#o.waitForBackendMs) continue;
      if (this.#o.pool.capable(job.workflow).length > 0) continue;
      this.#o.queue.remove(id);
      this.#o.quota.released(id);
      await this.#finish(job, 'expired', {
        error: {
          code: 'jobs.noBackendInTime',
          params: { seconds: Math.round(this.#o.waitForBackendMs / 1000) },
        },
      });
    }
  }
}

/** Raised inside job tasks still running when the engine shut down; they stop quietly. */
class EngineClosedError extends Error {
  constructor() {
    super('the job engine has shut down');
  }
}
