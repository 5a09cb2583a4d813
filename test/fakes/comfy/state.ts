// Everything one fake server instance knows; routes and the executor share it.
import { buildCatalog, normalizeModels } from './catalog.ts';
import { Executor } from './executor.ts';
import { FileStore, ROOTS } from './files.ts';
import { orderedJson } from './http.ts';
import { WsHub } from './hub.ts';
import { PromptQueue } from './queue.ts';
import type { Catalog, ComfyVersion, FakeComfyOptions, JsonObject, RecordedRequest } from './types.ts';

export const RECORDED_SYSTEM = {
  os: 'posix',
  ram_total: 25276502016,
  ram_free: 24024805376,
  comfyui_version: '0.3.64',
  required_frontend_version: '1.27.10',
  installed_templates_version: null,
  required_templates_version: '0.1.95',
  python_version: '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
  pytorch_version: '1.13.0a0',
  embedded_python: false,
  argv: ['main.py', '--cpu', '--listen', '127.0.0.1', '--port', '8188', '--preview-method', 'latent2rgb'],
};

export const RECORDED_DEVICE = {
  name: 'cpu',
  type: 'cpu',
  index: null,
  vram_total: 25276502016,
  vram_free: 24024805376,
  torch_vram_total: 25276502016,
  torch_vram_free: 24024805376,
};

export type HttpFault = { pattern: string | RegExp; status: number; remaining: number };

export class ServerState {
  readonly version: ComfyVersion;
  readonly options: FakeComfyOptions;
  readonly models: Record<string, string[]> | undefined;
  readonly store = new FileStore();
  readonly hub: WsHub;
  readonly queue: PromptQueue;
  readonly executor: Executor;
  readonly requests: RecordedRequest[] = [];
  readonly interrupts = { global: 0, byPromptId: [] as string[] };
  readonly uploads: string[] = [];
  readonly httpFaults: HttpFault[] = [];
  viewBytesPerSecond: number | undefined;
  /** server.number: the next priority when a client sends none. */
  number = 0;

  constructor(options: FakeComfyOptions, previewJpeg: Buffer) {
    this.options = options;
    this.version = options.version ?? '0.3.64';
    this.models = normalizeModels(options.models);
    this.hub = new WsHub(
      {
        queueRemaining: () => this.queue.remaining(),
        current: () => ({ clientId: this.executor.clientId, lastNodeId: this.executor.lastNodeId }),
        serverFlags: () => this.features(),
      },
      options.sameIdCloseRace ?? false,
    );
    this.queue = new PromptQueue(() => {
      this.hub.send('status', { status: { exec_info: { queue_remaining: this.queue.remaining() } } }, null);
      this.executor.pump();
    });
    this.executor = new Executor(this.hub, this.queue, this.store, () => this.catalog(), {
      stepDelayMs: options.stepDelayMs ?? 5,
      jobMs: options.jobMs,
      previews: options.previews ?? true,
      previewJpeg,
    });
  }

  catalog(): Catalog {
    return buildCatalog(this.options.objectInfo, this.models, this.store.inputImages());
  }

  #catalogBody?: { key: string; text: string };
  /** The whole /object_info body, rebuilt only when the models or input files change: apps poll it often. */
  catalogBody(): string {
    const key = JSON.stringify([this.models ?? null, this.store.inputImages()]);
    if (this.#catalogBody?.key !== key) this.#catalogBody = { key, text: orderedJson(this.catalog()) };
    return this.#catalogBody.text;
  }

  features(): JsonObject {
    const base: JsonObject = { supports_preview_metadata: true, max_upload_size: 104857600 };
    if (this.version !== 'newest') return base;
    return {
      ...base,
      supports_model_type_tags: true,
      extension: { manager: { supports_v4: true } },
      node_replacements: true,
      assets: false,
    };
  }

  systemStats(): JsonObject {
    const newest = this.version === 'newest';
    const system: JsonObject = {
      ...RECORDED_SYSTEM,
      ...(newest
        ? { os: 'linux', comfyui_version: '0.8.0', comfy_package_versions: {}, deploy_environment: 'local' }
        : {}),
      ...(this.options.systemStats?.system ?? {}),
    };
    return { system, devices: this.options.systemStats?.devices ?? [RECORDED_DEVICE] };
  }

  /** restart(): queue, history, running job and sockets go; input/output files stay, temp is wiped. */
  resetVolatile(): void {
    this.executor.reset();
    this.queue.reset();
    this.hub.reset();
    this.store.clearTemp();
    this.number = 0;
  }

  inputRoot(): string {
    return ROOTS.input;
  }
}
