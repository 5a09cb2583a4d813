import { randomUUID } from 'node:crypto';
import { type ApiWorkflow, ComfyApi, type QueueState, type SystemStats } from './api.ts';
import type { BackendClient, PromptHandle, SubmitOptions } from './backend-client.ts';
import { type Clock, systemClock } from './clock.ts';
import type { ComfyJobEvent } from './events.ts';
import type { HistoryEntry } from './history.ts';
import { ComfyHttp, type ComfyHttpOptions } from './http.ts';
import type { ComfyFileRef, ComfyMessage } from './protocol.ts';
import { findPrompt, queuePromptOnce } from './queue-once.ts';
import { PromptEventRouter } from './router.ts';
import { PromptSettler } from './settle.ts';
import { ComfySocket, type ReconnectPolicy } from './socket.ts';
import { TrackedPrompt } from './tracked-prompt.ts';
import { ImageUploads } from './uploads.ts';
import { PromptWatchdog } from './watchdog.ts';
import { type WebSocketFactory, webSocketUrl } from './websocket.ts';

export type { PromptHandle, SubmitOptions } from './backend-client.ts';

export interface ComfyClientOptions extends ComfyHttpOptions {
  /**
   * Our client id on this backend: the socket registers under it and every prompt is submitted with it,
   * and ComfyUI sends a prompt's progress only to that id. Persist it to keep receiving the progress of
   * prompts re-attached after a restart. Random by default.
   */
  clientId?: string;
  reconnect?: Partial<ReconnectPolicy>;
  pingIntervalMs?: number;
  /** With no event for a prompt for this long, its state is read over HTTP instead (default 15 s). */
  idleEventMs?: number;
  /** Reconciling on `status` messages happens at most this often (default 1 s). */
  reconcileThrottleMs?: number;
  /** A prompt whose backend stays unreachable this long is reported lost (default 60 s). */
  unreachableLostMs?: number;
  /** First pause before reading `/history` again after an error answer; doubled up to six times. */
  historyRetryMs?: number;
  /** Sent as `extra_data.api_key_comfy_org` for ComfyUI's partner API nodes. Never logged. */
  comfyOrgApiKey?: string;
  /** Time for every timer of the client and its socket (default: real time). */
  clock?: Clock;
  /** Opens the WebSocket (default: a `ws` WebSocket). */
  webSocketFactory?: WebSocketFactory;
}

/**
 * A client for one ComfyUI backend: one keep-alive HTTP pool and one shared WebSocket, demultiplexed by
 * prompt id. A prompt never depends on the socket alone: after a reconnect, on queue changes and after a
 * silence it reads `/queue` and `/history`, and a prompt found in neither is reported lost.
 *
 * @example
 * const client = new ComfyClient({ baseUrl: 'http://127.0.0.1:8188' });
 * const handle = await client.submit(workflow, { onEvent: (e) => console.log(e.type) });
 * const outcome = await handle.done; // { type: 'succeeded', outputs: [...] }
 */
export class ComfyClient implements BackendClient {
  readonly kind = 'comfyui' as const;
  readonly http: ComfyHttp;
  readonly clientId: string;
  readonly #comfyOrgApiKey: string | undefined;
  readonly #clock: Clock;
  readonly #api: ComfyApi;
  readonly #uploads: ImageUploads;
  readonly #socket: ComfySocket;
  readonly #settler: PromptSettler;
  readonly #watchdog: PromptWatchdog;
  readonly #router: PromptEventRouter;
  readonly #prompts = new Map<string, TrackedPrompt>();
  readonly #listeners = new Set<(m: ComfyMessage) => void>();
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(options: ComfyClientOptions) {
    this.http = new ComfyHttp(options);
    this.clientId = options.clientId ?? randomUUID();
    this.#comfyOrgApiKey = options.comfyOrgApiKey;
    this.#clock = options.clock ?? systemClock;
    this.#api = new ComfyApi(this.http, this.#clock);
    this.#uploads = new ImageUploads(this.http);
    this.#settler = new PromptSettler({
      api: this.#api,
      clock: this.#clock,
      unreachableLostMs: options.unreachableLostMs ?? 60_000,
      historyRetryMs: options.historyRetryMs,
    });
    this.#watchdog = new PromptWatchdog({
      clock: this.#clock,
      settler: this.#settler,
      prompts: () => [...this.#prompts.values()],
      idleEventMs: options.idleEventMs ?? 15_000,
      reconcileThrottleMs: options.reconcileThrottleMs ?? 1000,
    });
    this.#router = new PromptEventRouter({
      prompt: (id) => this.#prompts.get(id),
      queueChanged: () => this.#watchdog.queueChanged(),
      finishing: (t) => this.#watchdog.finishSoon(t),
      ended: (t) => void this.#settler.settleFinished(t),
    });
    this.#socket = new ComfySocket({
      url: webSocketUrl(options.baseUrl, this.clientId, options.auth?.wsToken),
      headers: this.http.headers,
      reconnect: options.reconnect,
      pingIntervalMs: options.pingIntervalMs,
      clock: this.#clock,
      webSocketFactory: options.webSocketFactory,
      onMessage: (m) => {
        for (const l of this.#listeners) l(m);
        this.#router.route(m);
      },
      onOpen: (reconnected) => {
        if (reconnected) void this.reconcileAll();
      },
    });
  }

  get name(): string {
    return this.http.name;
  }

  get socketConnected(): boolean {
    return this.#socket.connected;
  }

  get reconnects(): number {
    return this.#socket.reconnects;
  }

  /** Prompt ids this client is watching. */
  get inFlight(): string[] {
    return [...this.#prompts.keys()];
  }

  /** Opens the socket (idempotent); resolves once it is open or after `timeoutMs`. */
  async connect(timeoutMs = 5000): Promise<boolean> {
    if (!this.#started) {
      this.#started = true;
      this.#socket.start();
      this.#watchdog.start();
    }
    return this.#socket.waitOpen(timeoutMs);
  }

  /** Raw socket messages, for health tracking and tests. */
  onMessage(listener: (m: ComfyMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Queues a workflow under our prompt id, once: an answer lost after ComfyUI took it is settled by looking
   * the id up (`queue-once.ts`), never by a second prompt. Rejects with ComfyValidationError when ComfyUI
   * refuses it (the message names the node, the input and the reason), ComfyHttpError /
   * ComfyUnreachableError otherwise.
   */
  async submit(workflow: ApiWorkflow, options: SubmitOptions = {}): Promise<PromptHandle> {
    await this.connect();
    const promptId = options.promptId ?? randomUUID();
    const tracked = this.#track(promptId, workflow);
    if (options.onEvent) tracked.subscribe(options.onEvent);
    const extraData: Record<string, unknown> = { ...(options.extraData ?? {}) };
    if (this.#comfyOrgApiKey && extraData.api_key_comfy_org === undefined) {
      extraData.api_key_comfy_org = this.#comfyOrgApiKey;
    }
    let queued: { number?: number; found?: string };
    try {
      const request = { workflow, clientId: this.clientId, promptId, extraData };
      const earlier = options.mayExist ? await findPrompt(this.#api, promptId) : 'absent';
      queued =
        earlier === 'absent' ? await queuePromptOnce(this.#api, request, this.#clock) : { found: earlier };
    } catch (error) {
      this.#prompts.delete(promptId);
      throw error;
    }
    tracked.submitting = false;
    // Found already there: its events may have gone by, so its state is read over HTTP now.
    if (queued.found) void this.reconcile(promptId);
    else if (!tracked.started && !tracked.settled) void this.#settler.reportPosition(tracked);
    return this.#handle(tracked, queued.number);
  }

  /**
   * Watches a prompt submitted earlier (by this process before a restart, for instance). Its progress
   * arrives only if this client has the client id it was submitted with; its outcome arrives regardless.
   */
  attach(promptId: string, workflow: ApiWorkflow = {}, onEvent?: (e: ComfyJobEvent) => void): PromptHandle {
    let tracked = this.#prompts.get(promptId);
    if (!tracked) {
      tracked = this.#track(promptId, workflow);
      tracked.submitting = false;
    }
    if (onEvent) tracked.subscribe(onEvent);
    void this.connect().then(() => this.reconcile(promptId));
    return this.#handle(tracked);
  }

  /**
   * Stops one prompt and nothing else: deletes it if pending, interrupts it by id if running. Never a global
   * interrupt, which would stop whoever else's prompt is running.
   */
  async cancel(promptId: string): Promise<void> {
    const tracked = this.#prompts.get(promptId);
    if (tracked) tracked.cancelRequested = true;
    await this.#api.deletePending(promptId);
    await this.#api.interrupt(promptId);
    await this.reconcile(promptId);
  }

  /** Reads a prompt's state over HTTP and settles it if it is finished or gone. */
  async reconcile(promptId: string): Promise<void> {
    const tracked = this.#prompts.get(promptId);
    if (tracked) await this.#settler.reconcile([tracked]);
  }

  /** Reconciles every watched prompt with one read of the queue. */
  reconcileAll(): Promise<void> {
    return this.#watchdog.reconcileAll();
  }

  queue(): Promise<QueueState> {
    return this.#api.queue();
  }

  history(promptId: string): Promise<HistoryEntry | undefined> {
    return this.#api.history(promptId);
  }

  /** The node catalogue, cached for `maxAgeMs` (default 5 min); `refresh` forces a new read. */
  objectInfo(options: { refresh?: boolean; maxAgeMs?: number } = {}): Promise<Record<string, unknown>> {
    return this.#api.objectInfo(options);
  }

  systemStats(): Promise<SystemStats> {
    return this.#api.systemStats();
  }

  /** Unloads models and/or frees memory on the backend. */
  free(options: { unloadModels?: boolean; freeMemory?: boolean } = {}): Promise<void> {
    return this.#api.free(options);
  }

  /** Streams an output file from /view; nothing touches the disk. */
  view(file: ComfyFileRef) {
    return this.#api.view(file);
  }

  /** Reads a whole output file. */
  async viewBytes(file: ComfyFileRef): Promise<Buffer> {
    const { body } = await this.view(file);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * Uploads an input image under a name derived from its bytes, so the same image is uploaded once and
   * ComfyUI keeps that name. Returns the value for `LoadImage.image`.
   */
  uploadImage(bytes: Uint8Array, extension = 'png'): Promise<string> {
    return this.#uploads.upload(bytes, extension);
  }

  /** Stops watching, closes the socket and the pool; idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#watchdog.stop();
      await this.#socket.close();
      await this.http.close();
    })();
    return this.#closing;
  }

  #track(promptId: string, workflow: ApiWorkflow): TrackedPrompt {
    const tracked = new TrackedPrompt(promptId, workflow, () => this.#clock.now());
    this.#prompts.set(promptId, tracked);
    return tracked;
  }

  #handle(tracked: TrackedPrompt, number?: number): PromptHandle {
    return {
      promptId: tracked.promptId,
      number,
      done: tracked.done.finally(() => this.#prompts.delete(tracked.promptId)),
      subscribe: (l) => tracked.subscribe(l),
    };
  }
}
