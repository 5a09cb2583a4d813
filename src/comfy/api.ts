import type { Readable } from 'node:stream';
import { type Clock, systemClock } from './clock.ts';
import { ComfyHttpError } from './errors.ts';
import type { HistoryEntry } from './history.ts';
import type { ComfyHttp } from './http.ts';
import { viewPath } from './outputs.ts';
import type { ComfyFileRef } from './protocol.ts';
import { toValidationError } from './validation.ts';

/** A workflow in ComfyUI's API format: node id → class and inputs. */
export type ApiWorkflow = Record<
  string,
  { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }
>;

export interface QueueState {
  running: string[];
  pending: string[];
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

export interface PromptRequest {
  workflow: ApiWorkflow;
  clientId: string;
  promptId: string;
  extraData: Record<string, unknown>;
}

type QueueItem = [number, string, ...unknown[]];

/** In ComfyUI's own order: by queue number, then by prompt id. */
const sortQueue = (items: QueueItem[]) =>
  [...items].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map((i) => String(i[1]));

/** ComfyUI's HTTP endpoints, typed, over one ComfyHttp. Every call is one request (object_info is cached). */
export class ComfyApi {
  readonly http: ComfyHttp;
  readonly #clock: Clock;
  #objectInfo: { at: number; value: Promise<Record<string, unknown>> } | undefined;

  constructor(http: ComfyHttp, clock: Clock = systemClock) {
    this.http = http;
    this.#clock = clock;
  }

  /**
   * POST /prompt. Returns ComfyUI's queue number. Rejects with ComfyValidationError when ComfyUI refuses
   * the workflow, ComfyHttpError / ComfyUnreachableError otherwise.
   */
  async queuePrompt(request: PromptRequest): Promise<{ number?: number }> {
    const res = await this.http.raw('POST', '/prompt', {
      prompt: request.workflow,
      client_id: request.clientId,
      prompt_id: request.promptId,
      extra_data: request.extraData,
    });
    if (res.status === 400) {
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        throw new ComfyHttpError(400, 'POST', '/prompt', res.text);
      }
      throw toValidationError(body, request.workflow, await this.#objectInfoIfReadable());
    }
    if (res.status !== 200) throw new ComfyHttpError(res.status, 'POST', '/prompt', res.text);
    try {
      return { number: (JSON.parse(res.text) as { number?: number }).number };
    } catch {
      // A 200 whose body we cannot read still queued the prompt; the number is only informative.
      return {};
    }
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

  /** Deletes one prompt from the pending queue; a prompt that is not pending is left alone. */
  deletePending(promptId: string): Promise<void> {
    return this.http.postAction('/queue', { delete: [promptId] });
  }

  /** Interrupts one prompt by id; ComfyUI ignores it unless that prompt is the running one. */
  interrupt(promptId: string): Promise<void> {
    return this.http.postAction('/interrupt', { prompt_id: promptId });
  }

  /** The node catalogue, cached for `maxAgeMs` (default 5 min); `refresh` forces a new read. */
  objectInfo(options: { refresh?: boolean; maxAgeMs?: number } = {}): Promise<Record<string, unknown>> {
    const maxAge = options.maxAgeMs ?? 300_000;
    if (!options.refresh && this.#objectInfo && this.#clock.now() - this.#objectInfo.at < maxAge) {
      return this.#objectInfo.value;
    }
    const value = this.http.getJson<Record<string, unknown>>('/object_info');
    this.#objectInfo = { at: this.#clock.now(), value };
    value.catch(() => {
      if (this.#objectInfo?.value === value) this.#objectInfo = undefined;
    });
    return value;
  }

  systemStats(): Promise<SystemStats> {
    return this.http.getJson<SystemStats>('/system_stats');
  }

  free(options: { unloadModels?: boolean; freeMemory?: boolean } = {}): Promise<void> {
    return this.http.postAction('/free', {
      unload_models: options.unloadModels ?? false,
      free_memory: options.freeMemory ?? true,
    });
  }

  /** Streams an output file from /view; nothing touches the disk. */
  view(file: ComfyFileRef): Promise<{ body: Readable; contentType?: string; length?: number }> {
    return this.http.stream(viewPath(file));
  }

  /** The catalogue only makes a validation message richer; without it the message is still right. */
  async #objectInfoIfReadable(): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.objectInfo();
    } catch {
      return undefined;
    }
  }
}
