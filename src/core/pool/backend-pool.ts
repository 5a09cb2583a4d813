import { Backend, type BackendSettings, type CapabilityCheck } from './backend.ts';
import type { ComfyClientOptions } from '../../comfy/index.ts';
import type { UserMessage } from '#shared/i18n.ts';

export type { CapabilityCheck } from './backend.ts';

export interface BackendPoolOptions {
  backends: BackendSettings[];
  canRun: CapabilityCheck;
  /** How often health and catalogues are re-read (default 30 s). */
  refreshIntervalMs?: number;
  clientOptions?: Partial<ComfyClientOptions>;
  onHealthChange?: (backend: Backend) => void;
}

/**
 * The backends (ComfyUI servers and Comfy API v2 services): which are healthy, which can run a workflow
 * (by installed node types and models, learned from /object_info or declared), and which has room.
 * Dispatch goes to the least-loaded capable one; overflow backends only as `backend-choice.ts` allows.
 */
export class BackendPool {
  readonly backends: Backend[];
  readonly #options: BackendPoolOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: BackendPoolOptions) {
    this.#options = options;
    this.backends = options.backends.map((b) => new Backend(b, options.clientOptions));
  }

  get(name: string): Backend | undefined {
    return this.backends.find((b) => b.name === name);
  }

  async start(): Promise<void> {
    await this.refresh();
    const every = this.#options.refreshIntervalMs ?? 30_000;
    this.#timer = setInterval(() => void this.refresh(), every);
    this.#timer.unref();
  }

  async refresh(): Promise<void> {
    await Promise.all(
      this.backends.map(async (b) => {
        const before = b.healthy;
        await b.refresh();
        if (before !== b.healthy) this.#options.onHealthChange?.(b);
      }),
    );
  }

  /** Marks a backend unhealthy at once (a failed submit, a lost job) until the next refresh says otherwise. */
  markUnhealthy(backend: Backend, reason: string): void {
    const before = backend.healthy;
    backend.healthy = false;
    backend.lastError = reason;
    if (before) this.#options.onHealthChange?.(backend);
  }

  /** Problems per backend for a workflow; a backend whose catalogue is unknown is not judged. */
  problems(workflow: Record<string, unknown>): Map<string, UserMessage[]> {
    const out = new Map<string, UserMessage[]>();
    for (const b of this.backends) {
      const problems = b.problems(workflow, this.#options.canRun);
      if (problems) out.set(b.name, problems);
    }
    return out;
  }

  /**
   * True when some backend, healthy or not, could run it (or we cannot tell yet); `known` when one whose
   * catalogue is known can (a backend that did not answer yet is not counted on).
   */
  mightRun(workflow: Record<string, unknown>): {
    possible: boolean;
    problems: UserMessage[];
    known: boolean;
  } {
    const all = this.problems(workflow);
    const unknown = this.backends.some((b) => !all.has(b.name));
    const fits = [...all.values()].some((p) => p.length === 0);
    const first = [...all.values()].find((p) => p.length > 0) ?? [];
    return { possible: fits || unknown, problems: fits ? [] : first, known: fits };
  }

  /**
   * The least-loaded healthy backend that can run the workflow and has room, avoiding `exclude`. Overflow
   * backends are left out unless `overflow` is true, then only they are considered (see
   * `core/jobs/backend-choice.ts` for when they may be used).
   */
  pick(
    workflow: Record<string, unknown>,
    exclude?: ReadonlySet<string>,
    overflow = false,
  ): Backend | undefined {
    let best: Backend | undefined;
    for (const b of this.backends) {
      if (!b.healthy || !b.hasRoom || exclude?.has(b.name) || (b.overflow !== undefined) !== overflow)
        continue;
      if (b.problems(workflow, this.#options.canRun)?.length !== 0) continue;
      if (!best || b.load < best.load) best = b;
    }
    return best;
  }

  /** Healthy backends that could run it at all, busy or not. */
  capable(workflow: Record<string, unknown>): Backend[] {
    return this.backends.filter((b) => b.healthy && b.problems(workflow, this.#options.canRun)?.length === 0);
  }

  /** Healthy non-overflow backends that could run it, busy or not: those an overflow waits on. */
  capableLocal(workflow: Record<string, unknown>): Backend[] {
    return this.capable(workflow).filter((b) => b.overflow === undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.backends.map((b) => b.client.close()));
  }

  /** Calls `listener` whenever a v2 backend's condition changes (out of credits, queue full, ready). */
  onCondition(listener: (backend: Backend) => void): void {
    for (const b of this.backends) b.cloud?.onCondition(() => listener(b));
  }
}
