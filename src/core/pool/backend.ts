import { type BackendAuth, ComfyClient, type ComfyClientOptions } from '../../comfy/index.ts';

export interface BackendSettings {
  name: string;
  url: string;
  weight?: number;
  tags?: string[];
  /** Jobs queued on ComfyUI beyond the running one, so the GPU never idles between jobs. */
  maxQueued?: number;
  auth?: BackendAuth;
  /** The ComfyUI client id, stable across restarts (see `stableClientIds`); default a fresh one. */
  clientId?: string;
}

export type ObjectInfo = Record<string, unknown>;

/** One ComfyUI server as the pool sees it: its client, its health, what it can run, what it is doing. */
export class Backend {
  readonly name: string;
  readonly weight: number;
  readonly tags: readonly string[];
  readonly maxQueued: number;
  readonly client: ComfyClient;
  /** Job ids currently dispatched here (running or queued on ComfyUI). */
  readonly jobs = new Set<string>();
  healthy = false;
  lastError: string | undefined;
  objectInfo: ObjectInfo | undefined;
  version: string | undefined;

  constructor(settings: BackendSettings, clientOptions: Partial<ComfyClientOptions> = {}) {
    this.name = settings.name;
    this.weight = settings.weight && settings.weight > 0 ? settings.weight : 1;
    this.tags = settings.tags ?? [];
    this.maxQueued = settings.maxQueued ?? 1;
    this.client = new ComfyClient({
      ...clientOptions,
      baseUrl: settings.url,
      auth: settings.auth,
      ...(settings.clientId ? { clientId: settings.clientId } : {}),
    });
  }

  get capacity(): number {
    return 1 + this.maxQueued;
  }

  get hasRoom(): boolean {
    return this.jobs.size < this.capacity;
  }

  /** Load relative to weight: a backend of weight 2 takes twice the jobs before it counts as busier. */
  get load(): number {
    return this.jobs.size / this.weight;
  }

  /** Reads system_stats and object_info; health follows whether both answered. */
  async refresh(): Promise<void> {
    try {
      const [stats, info] = await Promise.all([
        this.client.systemStats(),
        this.client.objectInfo({ refresh: true }),
      ]);
      this.version = stats.system?.comfyui_version;
      this.objectInfo = info;
      this.healthy = true;
      this.lastError = undefined;
      void this.client.connect(0);
    } catch (error) {
      this.healthy = false;
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }
}
