export interface DurationEstimatorOptions {
  /** Used for a template nobody has run yet. */
  defaultMs?: number;
  /** Weight of the newest sample in the moving average (0..1]; higher forgets faster. */
  alpha?: number;
}

/**
 * How long a template takes, learned from recent runs: an exponentially weighted moving average per
 * template and backend, since the same workflow can be several times faster on a bigger GPU.
 */
export class DurationEstimator {
  readonly #averages = new Map<string, Map<string, number>>();
  readonly #defaultMs: number;
  readonly #alpha: number;

  constructor(options: DurationEstimatorOptions = {}) {
    this.#defaultMs = options.defaultMs ?? 30_000;
    this.#alpha = options.alpha ?? 0.3;
    if (!(this.#alpha > 0 && this.#alpha <= 1)) throw new RangeError('alpha must be in (0, 1]');
  }

  record(template: string, backend: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const byBackend = this.#averages.get(template) ?? new Map<string, number>();
    this.#averages.set(template, byBackend);
    const previous = byBackend.get(backend);
    byBackend.set(backend, previous === undefined ? ms : previous + this.#alpha * (ms - previous));
  }

  /** For one backend when known; otherwise the mean over the backends that ran it; otherwise the default. */
  estimate(template: string, backend?: string): number {
    const byBackend = this.#averages.get(template);
    if (!byBackend || byBackend.size === 0) return this.#defaultMs;
    const own = backend === undefined ? undefined : byBackend.get(backend);
    if (own !== undefined) return Math.round(own);
    let sum = 0;
    for (const ms of byBackend.values()) sum += ms;
    return Math.round(sum / byBackend.size);
  }
}
