import { randomUUID } from 'node:crypto';
import { AssetFactory, Job } from '@comfyorg/sdk';
import { ComfyLow, type Job as LowJob } from '@comfyorg/sdk/low';
import type { ApiWorkflow } from '../api.ts';
import type { AssetReference, BackendClient, PromptHandle, SubmitOptions } from '../backend-client.ts';
import { backgroundTimeout, type Clock, systemClock } from '../clock.ts';
import { ComfyError, ComfyUnreachableError } from '../errors.ts';
import type { ComfyJobEvent } from '../events.ts';
import { displayUrl } from '../http.ts';
import type { ComfyFileRef } from '../protocol.ts';
import { ConditionTracker, type V2Condition } from './condition.ts';
import { OutOfCreditsError, QueueFullError, UnauthorizedError } from './errors.ts';
import { type FollowContext, followJob, timeLimitError } from './follow.ts';
import { bareJob, canceledBeforeSent, handleOf, partnerKeyOnly } from './handles.ts';
import { type ComfyApiV2ClientOptions, type ResolvedV2Options, resolveV2Options } from './options.ts';
import { assetIdOf } from './outputs.ts';
import { probeV2, type V2Probe } from './probe.ts';
import { RemoteJob } from './remote-job.ts';
import { Slots } from './slots.ts';
import { type SubmitContext, submitJob } from './submit.ts';
import { toComfyError } from './translate.ts';
import { AssetUploads } from './uploads.ts';
import type { V2Log } from './wait.ts';

/** A submit not yet answered (waiting for a slot, or POST /jobs in flight). */
interface Pending {
  cancelRequested: boolean;
  readonly waitForSlot: AbortController;
}

/**
 * A client for one Comfy API v2 deployment (Comfy Cloud by default), driven by `@comfyorg/sdk`: its
 * transport, blake3 asset dedup, live events with a polling backstop and downloads that follow signed
 * redirects. It presents the same facade as the ComfyUI client, with the service's realities as typed
 * outcomes: out of credits, full queue, refused key (see `condition`), a bounded number of jobs at once
 * (`slots`), a time limit per job, and submits retried under one idempotency key so none runs twice.
 *
 * @example
 * const cloud = new ComfyApiV2Client({ apiKey: process.env.COMFY_API_KEY, slots: 3 });
 * const handle = await cloud.submit(workflow, { promptId, onEvent: (e) => console.log(e.type) });
 * const outcome = await handle.done; // { type: 'succeeded', outputs: [...] }
 */
export class ComfyApiV2Client implements BackendClient {
  readonly kind = 'comfy-api-v2' as const;
  readonly name: string;
  readonly slots: Slots;
  readonly #secret: string | undefined;
  readonly #options: ResolvedV2Options;
  readonly #clock: Clock;
  readonly #log: V2Log | undefined;
  readonly #low: ComfyLow;
  readonly #uploads: AssetUploads;
  readonly #conditions: ConditionTracker;
  readonly #jobs = new Map<string, RemoteJob>();
  readonly #byLocalId = new Map<string, RemoteJob>();
  readonly #pending = new Map<string, Pending>();
  readonly #stop = new AbortController();

  constructor(options: ComfyApiV2ClientOptions = {}) {
    this.#options = resolveV2Options(options);
    this.name = displayUrl(this.#options.baseUrl);
    this.#secret = options.apiKey || undefined;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log;
    this.#low = new ComfyLow(this.#options.baseUrl, this.#secret, {
      timeoutMs: this.#options.requestTimeoutMs,
      fetch: options.fetch,
      clientInfo: 'comfyrelay',
    });
    this.#uploads = new AssetUploads(new AssetFactory(this.#low));
    this.#conditions = new ConditionTracker(this.#clock);
    this.slots = new Slots(this.#options.slots);
  }

  /** What the service last said about taking work; `ready` unless it refused. */
  get condition(): V2Condition {
    return this.#conditions.current;
  }

  onCondition(listener: (c: V2Condition) => void): () => void {
    return this.#conditions.onChange(listener);
  }

  /** Whether a job given now would be sent at once: a free slot and no refusal in force. */
  get acceptsWork(): boolean {
    return this.slots.free > 0 && this.#conditions.blocking() === undefined;
  }

  get inFlight(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Nothing stays open between jobs: each job's event stream opens with it. */
  async connect(): Promise<boolean> {
    return !this.#stop.signal.aborted;
  }

  /** Reachable, key accepted, state: for `doctor` and health. Spends nothing. */
  probe(timeoutMs = 5000): Promise<V2Probe> {
    return probeV2(this.#low, {
      timeoutMs,
      secret: this.#secret,
      condition: this.condition,
      slots: this.slots,
    });
  }

  /**
   * Sends a workflow as a job once a slot is free. Rejects with OutOfCreditsError, QueueFullError,
   * UnauthorizedError (the backend cannot take work: try another), ComfyValidationError (the workflow
   * is wrong), SubmitOutcomeUnknownError (it may exist: never resend under another key) or
   * ComfyUnreachableError (it surely does not).
   */
  async submit(workflow: ApiWorkflow, options: SubmitOptions = {}): Promise<PromptHandle> {
    if (this.#stop.signal.aborted) throw new ComfyError('COMFY_CLOSED', `${this.name}: client closed`);
    const localId = options.promptId ?? randomUUID();
    const blocked = this.#conditions.blocking();
    if (blocked) throw this.#refusal(blocked);
    const pending: Pending = { cancelRequested: false, waitForSlot: new AbortController() };
    this.#pending.set(localId, pending);
    let release: () => void;
    try {
      release = await this.slots.take(AbortSignal.any([pending.waitForSlot.signal, this.#stop.signal]));
    } catch {
      this.#pending.delete(localId);
      if (pending.cancelRequested) return canceledBeforeSent(localId, options.onEvent);
      throw new ComfyError('COMFY_CLOSED', `${this.name}: client closed`);
    }
    // Another submit may have met a refusal while this one waited for its slot.
    const refusedMeanwhile = this.#conditions.blocking();
    if (refusedMeanwhile) {
      release();
      this.#pending.delete(localId);
      throw this.#refusal(refusedMeanwhile);
    }
    let model: LowJob;
    try {
      model = await submitJob(this.#submitContext(), {
        graph: workflow,
        idempotencyKey: options.idempotencyKey ?? localId,
        extraData: partnerKeyOnly(options.extraData),
        signal: this.#stop.signal,
      });
    } catch (error) {
      release();
      if (this.#stop.signal.aborted) throw new ComfyError('COMFY_CLOSED', `${this.name}: client closed`);
      throw toComfyError(error, this.name, 'POST /api/v2/jobs', this.#secret);
    } finally {
      this.#pending.delete(localId);
    }
    const job = this.#track(model, workflow, release, options.onEvent, localId);
    if (pending.cancelRequested) {
      this.#cancelRemote(job).catch((e: unknown) =>
        this.#log?.('warn', 'cancel failed', { backend: this.name, job: job.id, reason: String(e) }),
      );
    }
    return handleOf(job);
  }

  /** Follows a job submitted earlier, by the id its handle had (or the id given to `submit`). */
  attach(promptId: string, workflow: ApiWorkflow = {}, onEvent?: (e: ComfyJobEvent) => void): PromptHandle {
    const known = this.#jobs.get(promptId) ?? this.#byLocalId.get(promptId);
    if (known) {
      if (onEvent) known.tracked.subscribe(onEvent);
      return handleOf(known);
    }
    return handleOf(this.#track(bareJob(promptId), workflow, this.slots.force(), onEvent));
  }

  /** Asks the service to cancel that job; a submit still waiting for a slot is never sent. */
  async cancel(promptId: string): Promise<void> {
    const pending = this.#pending.get(promptId);
    if (pending) {
      pending.cancelRequested = true;
      pending.waitForSlot.abort();
      return;
    }
    const job = this.#jobs.get(promptId) ?? this.#byLocalId.get(promptId);
    if (job) return this.#cancelRemote(job);
    try {
      await this.#low.cancelJob(promptId);
    } catch (error) {
      throw toComfyError(error, this.name, 'POST /api/v2/jobs/{id}/cancel', this.#secret);
    }
  }

  /** Puts an input image on the service as an asset (deduplicated by hash); returns its reference. */
  async uploadImage(bytes: Uint8Array, extension = 'png'): Promise<AssetReference> {
    try {
      return await this.#uploads.upload(bytes, extension);
    } catch (error) {
      throw toComfyError(error, this.name, 'POST /api/v2/assets', this.#secret);
    }
  }

  /** Reads an output's bytes, following the service's redirect to a signed URL (without the key). */
  async viewBytes(file: ComfyFileRef): Promise<Buffer> {
    const id = assetIdOf(file);
    if (!id) throw new ComfyError('COMFY_NOT_AN_ASSET', `${file.filename} is not an output of ${this.name}`);
    try {
      const res = await this.#low.getAssetContent(id, { timeoutMs: 10 * 60_000 });
      return Buffer.from(await res.arrayBuffer());
    } catch (error) {
      throw toComfyError(error, this.name, 'GET /api/v2/assets/{id}/content', this.#secret);
    }
  }

  /** Stops following every job (they go on on the service) and refuses new submits; idempotent. */
  async close(): Promise<void> {
    this.#stop.abort();
    for (const job of this.#jobs.values()) job.stop.abort();
  }

  #submitContext(): SubmitContext {
    return {
      low: this.#low,
      name: this.name,
      secret: this.#secret,
      clock: this.#clock,
      conditions: this.#conditions,
      policy: this.#options.policy,
      log: this.#log,
    };
  }

  #followContext(): FollowContext {
    const { lostAfterMs } = this.#options;
    return { name: this.name, secret: this.#secret, clock: this.#clock, lostAfterMs, log: this.#log };
  }

  #track(
    model: LowJob,
    workflow: ApiWorkflow,
    release: () => void,
    onEvent?: (e: ComfyJobEvent) => void,
    localId?: string,
  ): RemoteJob {
    const job = new RemoteJob(new Job(this.#low, model), workflow, () => this.#clock.now());
    if (onEvent) job.tracked.subscribe(onEvent);
    this.#jobs.set(job.id, job);
    if (localId) this.#byLocalId.set(localId, job);
    const limit = backgroundTimeout(this.#clock, () => this.#timeLimit(job), this.#options.jobTimeoutMs);
    void job.tracked.done.finally(() => {
      this.#clock.clearTimeout(limit);
      this.#clock.clearTimeout(job.graceTimer);
      job.stop.abort();
      release();
      this.#jobs.delete(job.id);
      if (localId) this.#byLocalId.delete(localId);
    });
    void followJob(this.#followContext(), job);
    return job;
  }

  /** Our own time limit: cancel on the service, and give up on it if even that is not honoured. */
  #timeLimit(job: RemoteJob): void {
    if (job.tracked.settled) return;
    job.timedOut = true;
    this.#log?.('warn', 'job past its time limit; canceling it', { backend: this.name, job: job.id });
    void this.#low.cancelJob(job.id).catch(() => undefined);
    const graceMs = Math.min(30_000, this.#options.jobTimeoutMs);
    job.graceTimer = backgroundTimeout(
      this.#clock,
      () => job.tracked.finish({ type: 'failed', error: timeLimitError() }),
      graceMs,
    );
  }

  async #cancelRemote(job: RemoteJob): Promise<void> {
    job.tracked.cancelRequested = true;
    try {
      await this.#low.cancelJob(job.id);
    } catch (error) {
      throw toComfyError(error, this.name, 'POST /api/v2/jobs/{id}/cancel', this.#secret);
    }
  }

  #refusal(c: V2Condition): ComfyError {
    const retryAt = c.retryAt ?? this.#clock.now();
    if (c.state === 'out_of_credits') return new OutOfCreditsError(this.name, retryAt);
    if (c.state === 'queue_full') return new QueueFullError(this.name, retryAt);
    if (c.state === 'unauthorized') return new UnauthorizedError(this.name, 401, retryAt);
    return new ComfyUnreachableError(this.name, new Error(c.detail ?? 'unreachable'));
  }
}
