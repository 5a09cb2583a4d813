import { createHash, randomUUID } from 'node:crypto';
import { FormData } from 'undici';
import { ComfyHttpError } from './errors.ts';
import type { ComfyJobEvent, PromptOutcome } from './events.ts';
import { type HistoryEntry, outcomeFromHistory } from './history.ts';
import { type BackendAuth, ComfyHttp, type ComfyHttpOptions } from './http.ts';
import { type ComfyOutput, outputsFromUi, viewPath } from './outputs.ts';
import type { ComfyFileRef, ComfyMessage } from './protocol.ts';
import { ComfySocket, type ReconnectPolicy } from './socket.ts';
import { TrackedPrompt } from './tracked-prompt.ts';
import { toValidationError } from './validation.ts';

type Graph = Record<
  string,
  { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }
>;
type QueueItem = [number, string, ...unknown[]];

export interface ComfyClientOptions extends ComfyHttpOptions {
  /** Our client id on this backend; ComfyUI routes a prompt's events to it. Random by default. */
  clientId?: string;
  reconnect?: Partial<ReconnectPolicy>;
  pingIntervalMs?: number;
  /** With no event for a prompt for this long, its state is read over HTTP instead (default 15 s). */
  idleEventMs?: number;
  /** Reconciling on `status` messages happens at most this often (default 1 s). */
  reconcileThrottleMs?: number;
  /** A prompt whose backend stays unreachable this long is reported lost (default 60 s). */
  unreachableLostMs?: number;
  /** Sent as `extra_data.api_key_comfy_org` for ComfyUI's partner API nodes. Never logged. */
  comfyOrgApiKey?: string;
}

export interface SubmitOptions {
  extraData?: Record<string, unknown>;
  /** Receives every event, including those that arrive before POST /prompt returns. */
  onEvent?: (event: ComfyJobEvent) => void;
  /** Our own id (a lowercase UUID) so the prompt can be found again after any restart. */
  promptId?: string;
}

export interface PromptHandle {
  promptId: string;
  /** The number ComfyUI gave the prompt in its queue. */
  number?: number;
  done: Promise<PromptOutcome>;
  subscribe(listener: (event: ComfyJobEvent) => void): () => void;
}

export interface QueueState {
  running: string[];
  pending: string[];
}

const HISTORY_RETRIES = 5;
const FINISH_FALLBACK_MS = 1500;

function wsUrl(baseUrl: string, clientId: string, token?: string): string {
  const u = new URL(baseUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.username = '';
  u.password = '';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/ws`;
  u.search = '';
  u.searchParams.set('clientId', clientId);
  if (token) u.searchParams.set('token', token);
  return u.toString();
}

const sortQueue = (items: QueueItem[]) =>
  [...items].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map((i) => String(i[1]));

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
export class ComfyClient {
  readonly http: ComfyHttp;
  readonly clientId: string;
  readonly #options: ComfyClientOptions;
  readonly #socket: ComfySocket;
  readonly #prompts = new Map<string, TrackedPrompt>();
  readonly #uploaded = new Map<string, Promise<string>>();
  #running: string | undefined;
  #objectInfo: { at: number; value: Promise<Record<string, unknown>> } | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #lastReconcile = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #started = false;
  #closed = false;
  #listeners = new Set<(m: ComfyMessage) => void>();

  constructor(options: ComfyClientOptions) {
    this.#options = options;
    this.http = new ComfyHttp(options);
    this.clientId = options.clientId ?? randomUUID();
    this.#socket = new ComfySocket({
      url: wsUrl(options.baseUrl, this.clientId, options.auth?.wsToken),
      headers: this.http.headers,
      reconnect: options.reconnect,
      pingIntervalMs: options.pingIntervalMs,
      onMessage: (m) => this.#onMessage(m),
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
      const idle = this.#options.idleEventMs ?? 15_000;
      this.#idleTimer = setInterval(() => this.#checkIdle(idle), Math.max(100, Math.min(1000, idle / 3)));
      this.#idleTimer.unref();
    }
    return this.#socket.waitOpen(timeoutMs);
  }

  /** Raw socket messages, for health tracking and tests. */
  onMessage(listener: (m: ComfyMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Queues a workflow. Rejects with ComfyValidationError when ComfyUI refuses it (the message names the
   * node, the input and the reason), ComfyHttpError / ComfyUnreachableError otherwise.
   */
  async submit(workflow: Graph, options: SubmitOptions = {}): Promise<PromptHandle> {
    await this.connect();
    const promptId = options.promptId ?? randomUUID();
    const tracked = new TrackedPrompt(promptId, workflow);
    if (options.onEvent) tracked.subscribe(options.onEvent);
    this.#prompts.set(promptId, tracked);
    const extraData: Record<string, unknown> = { ...(options.extraData ?? {}) };
    if (this.#options.comfyOrgApiKey && extraData.api_key_comfy_org === undefined) {
      extraData.api_key_comfy_org = this.#options.comfyOrgApiKey;
    }
    let res: Awaited<ReturnType<ComfyHttp['raw']>>;
    try {
      res = await this.http.raw('POST', '/prompt', {
        prompt: workflow,
        client_id: this.clientId,
        prompt_id: promptId,
        extra_data: extraData,
      });
    } catch (error) {
      this.#prompts.delete(promptId);
      throw error;
    }
    if (res.status !== 200) {
      this.#prompts.delete(promptId);
      if (res.status === 400) {
        let body: unknown;
        try {
          body = JSON.parse(res.text);
        } catch {
          throw new ComfyHttpError(400, 'POST', '/prompt', res.text);
        }
        const info = await this.#cachedObjectInfo();
        throw toValidationError(body, workflow, info);
      }
      throw new ComfyHttpError(res.status, 'POST', '/prompt', res.text);
    }
    tracked.submitting = false;
    let number: number | undefined;
    try {
      number = (JSON.parse(res.text) as { number?: number }).number;
    } catch {
      // A 200 whose body we cannot read still queued the prompt; the number is only informative.
    }
    if (!tracked.started && !tracked.settled) void this.#reportPosition(tracked);
    return this.#handle(tracked, number);
  }

  /** Watches a prompt submitted earlier (by this process before a restart, for instance). */
  attach(promptId: string, workflow: Graph = {}, onEvent?: (e: ComfyJobEvent) => void): PromptHandle {
    let tracked = this.#prompts.get(promptId);
    if (!tracked) {
      tracked = new TrackedPrompt(promptId, workflow);
      tracked.submitting = false;
      this.#prompts.set(promptId, tracked);
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
    await this.http.postAction('/queue', { delete: [promptId] });
    await this.http.postAction('/interrupt', { prompt_id: promptId });
    await this.reconcile(promptId);
  }

  /** Reads a prompt's state over HTTP and settles it if it is finished or gone. */
  async reconcile(promptId: string): Promise<void> {
    const tracked = this.#prompts.get(promptId);
    if (!tracked || tracked.submitting || tracked.settled) return;
    const queue = await this.#safeQueue(tracked);
    if (!queue) return;
    await this.#reconcileWith(tracked, queue);
  }

  /** Reconciles every watched prompt with one read of the queue. */
  async reconcileAll(): Promise<void> {
    this.#lastReconcile = Date.now();
    const watched = [...this.#prompts.values()].filter((t) => !t.submitting && !t.settled);
    if (watched.length === 0) return;
    const queue = await this.#safeQueue(watched[0]!, watched);
    if (!queue) return;
    await Promise.all(watched.map((t) => this.#reconcileWith(t, queue)));
  }

  async queue(): Promise<QueueState> {
    const q = await this.http.getJson<{ queue_running?: QueueItem[]; queue_pending?: QueueItem[] }>('/queue');
    return { running: sortQueue(q.queue_running ?? []), pending: sortQueue(q.queue_pending ?? []) };
  }

  async history(promptId: string): Promise<HistoryEntry | undefined> {
    const h = await this.http.getJson<Record<string, HistoryEntry>>(
      `/history/${encodeURIComponent(promptId)}`,
    );
    return h[promptId];
  }

  /** The node catalogue, cached for `maxAgeMs` (default 5 min); `refresh` forces a new read. */
  objectInfo(options: { refresh?: boolean; maxAgeMs?: number } = {}): Promise<Record<string, unknown>> {
    const maxAge = options.maxAgeMs ?? 300_000;
    if (!options.refresh && this.#objectInfo && Date.now() - this.#objectInfo.at < maxAge) {
      return this.#objectInfo.value;
    }
    const value = this.http.getJson<Record<string, unknown>>('/object_info');
    this.#objectInfo = { at: Date.now(), value };
    value.catch(() => {
      if (this.#objectInfo?.value === value) this.#objectInfo = undefined;
    });
    return value;
  }

  systemStats(): Promise<SystemStats> {
    return this.http.getJson<SystemStats>('/system_stats');
  }

  /** Unloads models and/or frees memory on the backend. */
  free(options: { unloadModels?: boolean; freeMemory?: boolean } = {}): Promise<void> {
    return this.http.postAction('/free', {
      unload_models: options.unloadModels ?? false,
      free_memory: options.freeMemory ?? true,
    });
  }

  /** Streams an output file from /view; nothing touches the disk. */
  view(file: ComfyFileRef) {
    return this.http.stream(viewPath(file));
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
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    const filename = `comfyrelay_${hash}.${extension.replace(/[^a-z0-9]/gi, '') || 'png'}`;
    const existing = this.#uploaded.get(filename);
    if (existing) return existing;
    const upload = this.#upload(bytes, filename);
    this.#uploaded.set(filename, upload);
    upload.catch(() => this.#uploaded.delete(filename));
    return upload;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#idleTimer);
    clearTimeout(this.#reconcileTimer);
    await this.#socket.close();
    await this.http.close();
  }

  async #upload(bytes: Uint8Array, filename: string): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(bytes)]), filename);
    form.append('type', 'input');
    const res = await this.http.request('POST', '/upload/image', form);
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new ComfyHttpError(res.statusCode, 'POST', '/upload/image', text);
    const body = JSON.parse(text) as { name: string; subfolder?: string };
    return body.subfolder ? `${body.subfolder}/${body.name}` : body.name;
  }

  #handle(tracked: TrackedPrompt, number?: number): PromptHandle {
    return {
      promptId: tracked.promptId,
      number,
      done: tracked.done.finally(() => this.#prompts.delete(tracked.promptId)),
      subscribe: (l) => tracked.subscribe(l),
    };
  }

  async #cachedObjectInfo(): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.objectInfo();
    } catch {
      return undefined;
    }
  }

  async #reportPosition(tracked: TrackedPrompt): Promise<void> {
    try {
      const q = await this.queue();
      if (tracked.started || tracked.settled) return;
      const index = q.pending.indexOf(tracked.promptId);
      if (q.running.includes(tracked.promptId)) tracked.markStarted();
      else if (index >= 0) tracked.emit({ type: 'queued', position: index + q.running.length });
    } catch {
      // Position is informative; the prompt itself is tracked regardless.
    }
  }

  async #safeQueue(
    tracked: TrackedPrompt,
    all: TrackedPrompt[] = [tracked],
  ): Promise<QueueState | undefined> {
    try {
      const q = await this.queue();
      for (const t of all) t.unreachableSince = undefined;
      return q;
    } catch (error) {
      const now = Date.now();
      const limit = this.#options.unreachableLostMs ?? 60_000;
      for (const t of all) {
        t.unreachableSince ??= now;
        if (now - t.unreachableSince >= limit) {
          const reason = error instanceof Error ? error.message : String(error);
          t.finish({ type: 'lost', reason: `backend unreachable: ${reason}` });
        }
      }
      return undefined;
    }
  }

  async #reconcileWith(tracked: TrackedPrompt, queue: QueueState): Promise<void> {
    if (tracked.settled) return;
    const id = tracked.promptId;
    if (queue.running.includes(id)) {
      tracked.markStarted();
      return;
    }
    const index = queue.pending.indexOf(id);
    if (index >= 0) {
      tracked.emit({ type: 'queued', position: index + queue.running.length });
      return;
    }
    // Absent from the queue we read first: it finished before that read (history has it) or it is gone.
    await this.#settleFromHistory(tracked, 1);
  }

  /** Settles a prompt from history; with nothing there, it was deleted (if we asked) or lost. */
  async #settleFromHistory(tracked: TrackedPrompt, attempts: number): Promise<void> {
    for (let i = 0; i < attempts; i++) {
      let entry: HistoryEntry | undefined;
      try {
        entry = await this.history(tracked.promptId);
      } catch {
        return;
      }
      if (tracked.settled) return;
      if (entry) {
        const outcome = outcomeFromHistory(entry);
        if (outcome.type === 'succeeded') this.#emitNewOutputs(tracked, outcome.outputs);
        tracked.finish(outcome);
        return;
      }
      if (i + 1 < attempts) await new Promise((r) => setTimeout(r, 50 * (i + 1)));
    }
    if (tracked.settled) return;
    const f = tracked.finishing;
    if (f?.kind === 'success') tracked.finish({ type: 'succeeded', outputs: tracked.collectedOutputs() });
    else if (f?.kind === 'error') tracked.finish({ type: 'failed', error: f.error });
    else if (f?.kind === 'interrupted') tracked.finish({ type: 'interrupted' });
    else if (tracked.cancelRequested)
      tracked.finish(tracked.started ? { type: 'interrupted' } : { type: 'canceled' });
    else
      tracked.finish({
        type: 'lost',
        reason: 'the prompt is in neither the queue nor the history of the backend',
      });
  }

  #emitNewOutputs(tracked: TrackedPrompt, outputs: ComfyOutput[]): void {
    for (const output of outputs) {
      const seen = tracked.outputs.get(output.node);
      if (!seen) tracked.emit({ type: 'output', output });
    }
  }

  #checkIdle(idleMs: number): void {
    if (this.#closed) return;
    const now = Date.now();
    for (const t of this.#prompts.values()) {
      if (t.submitting || t.settled || now - t.lastEventAt < idleMs) continue;
      t.lastEventAt = now;
      void this.reconcile(t.promptId);
    }
  }

  #scheduleReconcile(): void {
    if (this.#reconcileTimer || this.#prompts.size === 0) return;
    const throttle = this.#options.reconcileThrottleMs ?? 1000;
    const wait = Math.max(0, this.#lastReconcile + throttle - Date.now());
    this.#reconcileTimer = setTimeout(() => {
      this.#reconcileTimer = undefined;
      void this.reconcileAll();
    }, wait);
    this.#reconcileTimer.unref();
  }

  #finishSoon(tracked: TrackedPrompt): void {
    // `executing {node: null}` normally follows at once and settles it; this covers a missed one.
    setTimeout(() => {
      if (!tracked.settled) void this.#settleFromHistory(tracked, HISTORY_RETRIES);
    }, FINISH_FALLBACK_MS).unref();
  }

  #onMessage(m: ComfyMessage): void {
    for (const l of this.#listeners) l(m);
    if (m.type === 'status') {
      if (m.sid === undefined) this.#scheduleReconcile();
      return;
    }
    if (m.type === 'feature_flags' || m.type === 'other') return;
    const promptId = 'promptId' in m && m.promptId ? m.promptId : this.#running;
    const tracked = promptId ? this.#prompts.get(promptId) : undefined;
    if (m.type === 'execution_start') this.#running = m.promptId;
    if (!tracked) return;
    switch (m.type) {
      case 'execution_start':
        tracked.markStarted();
        break;
      case 'execution_cached':
        tracked.markStarted();
        tracked.progress.cached(m.nodes);
        tracked.emit({ type: 'cached', nodes: m.nodes });
        tracked.emit({ type: 'overall', fraction: tracked.progress.fraction });
        break;
      case 'executing':
        if (m.node === null) {
          if (this.#running === tracked.promptId) this.#running = undefined;
          void this.#settleFromHistory(tracked, HISTORY_RETRIES);
        } else {
          tracked.markStarted();
          tracked.progress.executing(m.node);
          tracked.emit({ type: 'executing', node: m.node, ...tracked.titleOf(m.displayNode ?? m.node) });
          tracked.emit({ type: 'overall', fraction: tracked.progress.fraction });
        }
        break;
      case 'progress': {
        const node = m.node ?? '';
        tracked.progress.progress(node, m.value, m.max);
        tracked.emit({ type: 'progress', node, value: m.value, max: m.max });
        tracked.emit({ type: 'overall', fraction: tracked.progress.fraction });
        break;
      }
      case 'preview':
        tracked.emit({ type: 'preview', mime: m.mime, data: m.data, node: m.node });
        break;
      case 'text':
        tracked.emit({ type: 'text', node: m.node, text: m.text });
        break;
      case 'executed': {
        const outputs = outputsFromUi(m.node, m.output);
        tracked.outputs.set(m.node, outputs);
        for (const output of outputs) tracked.emit({ type: 'output', output });
        break;
      }
      case 'execution_success':
        tracked.finishing = { kind: 'success' };
        this.#finishSoon(tracked);
        break;
      case 'execution_error':
        if (!m.error.blocking) break;
        tracked.finishing = { kind: 'error', error: m.error };
        this.#finishSoon(tracked);
        break;
      case 'execution_interrupted':
        tracked.finishing = { kind: 'interrupted' };
        this.#finishSoon(tracked);
        break;
    }
  }
}

export interface SystemStats {
  system?: {
    os?: string;
    comfyui_version?: string;
    python_version?: string;
    pytorch_version?: string;
    ram_total?: number;
    ram_free?: number;
  };
  devices?: {
    name?: string;
    type?: string;
    index?: number | null;
    vram_total?: number;
    vram_free?: number;
  }[];
}

export type { BackendAuth };
