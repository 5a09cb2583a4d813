export interface DurationEstimatorOptions {
  /** Used for a template nobody has run yet, where a number is needed anyway (`estimate`). */
  defaultMs?: number;
  /** Weight of the newest sample in the moving average (0..1]; higher forgets faster. */
  alpha?: number;
}

/** The work of a 20-step, 512×512, single-image run: one unit. */
const UNIT_STEPS = 20;
const UNIT_PIXELS = 512 * 512;

type Inputs = Record<string, unknown>;
const numberIn = (inputs: Inputs, key: string): number | undefined => {
  const v = inputs[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
};

/**
 * How much GPU work a bound ComfyUI workflow asks for, in units of a 20-step 512×512 image: the sampling
 * steps of every sampler, times the largest latent size, times the batch. Values a workflow does not
 * show (an img2img's size comes from its image) count as one unit's, so a template's runs stay comparable.
 */
export function workOf(workflow: Record<string, unknown>): number {
  let steps = 0;
  let pixels = 0;
  let batch = 1;
  for (const node of Object.values(workflow)) {
    const inputs = (node as { inputs?: Inputs } | null)?.inputs;
    if (!inputs || typeof inputs !== 'object') continue;
    steps += numberIn(inputs, 'steps') ?? 0;
    const width = numberIn(inputs, 'width');
    const height = numberIn(inputs, 'height');
    if (width && height) pixels = Math.max(pixels, width * height);
    batch = Math.max(batch, numberIn(inputs, 'batch_size') ?? 1);
  }
  return ((steps || UNIT_STEPS) / UNIT_STEPS) * ((pixels || UNIT_PIXELS) / UNIT_PIXELS) * batch;
}

/**
 * How long a template takes, learned from recent runs: an exponentially weighted moving average of the
 * time per unit of work (`workOf`) per template and backend, since the same workflow can be several
 * times faster on a bigger GPU, and 40 steps at 1024×1024 take far longer than 20 at 512×512.
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

  /** A run of `template` on `backend` took `ms` for `work` units (1 when not known). */
  record(template: string, backend: string, ms: number, work = 1): void {
    if (!Number.isFinite(ms) || ms < 0 || !(work > 0)) return;
    const perUnit = ms / work;
    const byBackend = this.#averages.get(template) ?? new Map<string, number>();
    this.#averages.set(template, byBackend);
    const previous = byBackend.get(backend);
    byBackend.set(backend, previous === undefined ? perUnit : previous + this.#alpha * (perUnit - previous));
  }

  /** `measured`, or the configured default for a template nobody has run yet. */
  estimate(template: string, backend?: string, work = 1): number {
    return this.#perUnit(template, backend) === undefined
      ? this.#defaultMs
      : Math.round(this.#perUnit(template, backend)! * work);
  }

  /**
   * How long `work` units of the template take, from runs measured here: on one backend when known,
   * otherwise the mean over the backends that ran it; undefined until one run was measured.
   */
  measured(template: string, work = 1, backend?: string): number | undefined {
    const perUnit = this.#perUnit(template, backend);
    return perUnit === undefined ? undefined : Math.round(perUnit * work);
  }

  #perUnit(template: string, backend?: string): number | undefined {
    const byBackend = this.#averages.get(template);
    if (!byBackend || byBackend.size === 0) return undefined;
    const own = backend === undefined ? undefined : byBackend.get(backend);
    if (own !== undefined) return own;
    let sum = 0;
    for (const ms of byBackend.values()) sum += ms;
    return sum / byBackend.size;
  }
}
