import type { UserMessage } from '#shared/i18n.ts';
import {
  type BackendAuth,
  type BackendClient,
  type BackendKind,
  ComfyApiV2Client,
  ComfyClient,
  type ComfyClientOptions,
  listedObjectInfo,
  type V2Condition,
  type V2Log,
} from '../../comfy/index.ts';
import type { BudgetConfig } from '../../config/backend-config.ts';
import { type DeclaredCapabilities, declaredProblems } from './declared-capabilities.ts';

export interface BackendSettings {
  name: string;
  url: string;
  /** Default `comfyui`. */
  kind?: BackendKind;
  weight?: number;
  tags?: string[];
  /** Jobs queued on ComfyUI beyond the running one, so the GPU never idles between jobs. */
  maxQueued?: number;
  auth?: BackendAuth;
  /** The ComfyUI client id, stable across restarts (see `stableClientIds`); default a fresh one. */
  clientId?: string;
  /** `comfy-api-v2`: the service's key; never logged. */
  apiKey?: string;
  /** `comfy-api-v2`: jobs on the service at once (its plan's concurrency). */
  slots?: number;
  /** Receives work only when every local capable backend's estimated wait exceeds this. */
  overflow?: { afterWaitMs: number };
  budget?: BudgetConfig;
  capabilities?: DeclaredCapabilities;
  /** `comfy-api-v2`: test seams and the log of the service's conditions. */
  v2?: { fetch?: typeof fetch; log?: V2Log; retryDelayMs?: number; outOfCreditsRetryMs?: number };
}

export type ObjectInfo = Record<string, unknown>;

/** Says whether a workflow can run on a backend with this catalogue; returns the problems if not. */
export type CapabilityCheck = (workflow: Record<string, unknown>, objectInfo: ObjectInfo) => UserMessage[];

/**
 * One backend as the pool sees it, whatever its kind: its client, its health, what it can run, what it
 * is doing. A `comfy-api-v2` backend is healthy when the service answers with the key accepted; it has
 * room while it has free slots and the service is not refusing work (out of credits, queue full).
 */
export class Backend {
  readonly name: string;
  readonly kind: BackendKind;
  readonly weight: number;
  readonly tags: readonly string[];
  readonly maxQueued: number;
  readonly client: BackendClient;
  /** The ComfyUI client, on a `comfyui` backend. */
  readonly comfy: ComfyClient | undefined;
  /** The Comfy API v2 client, on a `comfy-api-v2` backend. */
  readonly cloud: ComfyApiV2Client | undefined;
  readonly overflow: { afterWaitMs: number } | undefined;
  readonly budget: BudgetConfig | undefined;
  readonly declared: DeclaredCapabilities | undefined;
  /** Job ids currently dispatched here (running or queued on the backend). */
  readonly jobs = new Set<string>();
  healthy = false;
  lastError: string | undefined;
  /** Its catalogue: ComfyUI's /object_info, or what a v2 service lists (undefined when it lists none). */
  objectInfo: ObjectInfo | undefined;
  version: string | undefined;
  readonly #settings: BackendSettings;

  constructor(settings: BackendSettings, clientOptions: Partial<ComfyClientOptions> = {}) {
    this.#settings = settings;
    this.name = settings.name;
    this.kind = settings.kind ?? 'comfyui';
    this.weight = settings.weight && settings.weight > 0 ? settings.weight : 1;
    this.tags = settings.tags ?? [];
    this.maxQueued = settings.maxQueued ?? 1;
    this.overflow = settings.overflow;
    this.budget = settings.budget;
    this.declared = settings.capabilities;
    if (this.kind === 'comfy-api-v2') {
      this.comfy = undefined;
      this.cloud = new ComfyApiV2Client({
        baseUrl: settings.url,
        apiKey: settings.apiKey,
        slots: settings.slots ?? 1,
        ...(settings.v2 ?? {}),
      });
      this.client = this.cloud;
      // What the operator reads in health lists: out of credits, queue full, key refused.
      this.cloud.onCondition((c) => {
        if (c.state !== 'ready')
          this.lastError = `${c.state.replaceAll('_', ' ')}${c.detail ? `: ${c.detail}` : ''}`;
        else if (this.healthy) this.lastError = undefined;
      });
    } else {
      this.cloud = undefined;
      this.comfy = new ComfyClient({
        ...clientOptions,
        baseUrl: settings.url,
        auth: settings.auth,
        ...(settings.clientId ? { clientId: settings.clientId } : {}),
      });
      this.client = this.comfy;
    }
  }

  get capacity(): number {
    return this.cloud ? this.cloud.slots.size : 1 + this.maxQueued;
  }

  get hasRoom(): boolean {
    if (this.refusingUntil !== undefined) return false;
    return this.jobs.size < this.capacity;
  }

  /** Load relative to weight: a backend of weight 2 takes twice the jobs before it counts as busier. */
  get load(): number {
    return this.jobs.size / this.weight;
  }

  /** When a v2 service's refusal (out of credits, queue full, key refused) lifts; undefined when none holds. */
  get refusingUntil(): number | undefined {
    const c = this.cloud?.condition;
    if (!c || c.state === 'ready' || c.retryAt === undefined) return undefined;
    return Date.now() < c.retryAt ? c.retryAt : undefined;
  }

  /** What a v2 service last said about taking work (`ready` for a ComfyUI backend). */
  get condition(): V2Condition['state'] {
    return this.cloud?.condition.state ?? 'ready';
  }

  /**
   * The problems of a workflow here: judged on the catalogue when known, else on the declared
   * capabilities; a v2 service with neither takes anything (it refuses what it cannot run).
   * Undefined while a ComfyUI backend's catalogue is not known yet.
   */
  problems(workflow: Record<string, unknown>, canRun: CapabilityCheck): UserMessage[] | undefined {
    if (this.objectInfo) return canRun(workflow, this.objectInfo);
    if (this.declared) return declaredProblems(workflow, this.declared);
    return this.cloud ? [] : undefined;
  }

  /** Reads health and catalogue: system_stats and object_info, or a v2 probe (which spends nothing). */
  async refresh(): Promise<void> {
    if (this.cloud) return this.#refreshCloud(this.cloud);
    const comfy = this.comfy!;
    try {
      const [stats, info] = await Promise.all([comfy.systemStats(), comfy.objectInfo({ refresh: true })]);
      this.version = stats.system?.comfyui_version;
      this.objectInfo = info;
      this.healthy = true;
      this.lastError = undefined;
      void comfy.connect(0);
    } catch (error) {
      this.healthy = false;
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }

  async #refreshCloud(cloud: ComfyApiV2Client): Promise<void> {
    const probe = await cloud.probe();
    this.healthy = probe.reachable && probe.keyValid !== false;
    const refusal = this.condition !== 'ready' ? this.lastError : undefined;
    this.lastError =
      probe.keyValid === false ? `API key refused (${probe.error ?? '401'})` : (probe.error ?? refusal);
    if (!this.healthy || this.declared) return;
    const s = this.#settings;
    this.objectInfo ??= await listedObjectInfo({ baseUrl: s.url, apiKey: s.apiKey, fetch: s.v2?.fetch });
  }
}
