type Graph = Record<string, { class_type?: string; inputs?: Record<string, unknown> }>;

const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);

/**
 * Overall progress of one prompt: every node weighs 1, a sampler weighs its step count, so a 30-step
 * sampler dominates as it does in wall time. Cached nodes count as done.
 */
export class ProgressTracker {
  readonly #weights = new Map<string, number>();
  readonly #done = new Set<string>();
  #current: string | undefined;
  #partial = 0;

  constructor(graph: Graph) {
    for (const [id, node] of Object.entries(graph)) {
      const steps = node.inputs?.steps;
      const weight = SAMPLERS.has(node.class_type ?? '')
        ? typeof steps === 'number' && steps > 0
          ? steps
          : 20
        : 1;
      this.#weights.set(id, weight);
    }
  }

  cached(nodes: readonly string[]): void {
    for (const n of nodes) this.#done.add(n);
  }

  executing(node: string): void {
    if (this.#current && this.#current !== node) this.#done.add(this.#current);
    this.#current = node;
    this.#partial = 0;
  }

  progress(node: string, value: number, max: number): void {
    if (node !== this.#current) this.executing(node);
    this.#partial = max > 0 ? Math.min(1, value / max) : 0;
  }

  /** 0..1; never reaches 1 before the prompt is finished. */
  get fraction(): number {
    let total = 0;
    let done = 0;
    for (const [id, w] of this.#weights) {
      total += w;
      if (this.#done.has(id)) done += w;
      else if (id === this.#current) done += w * this.#partial;
    }
    return total === 0 ? 0 : Math.min(0.99, done / total);
  }
}
