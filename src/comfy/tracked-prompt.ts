import type { ComfyJobEvent, PromptOutcome } from './events.ts';
import type { ComfyOutput } from './outputs.ts';
import { ProgressTracker } from './progress.ts';
import type { ComfyExecutionErrorInfo } from './protocol.ts';

type Graph = Record<
  string,
  { class_type?: string; inputs?: Record<string, unknown>; _meta?: { title?: string } }
>;

/** The client's record of one prompt it submitted or re-attached to. */
export class TrackedPrompt {
  readonly promptId: string;
  readonly graph: Graph;
  readonly progress: ProgressTracker;
  readonly outputs = new Map<string, ComfyOutput[]>();
  readonly done: Promise<PromptOutcome>;
  /** Set while POST /prompt is in flight: reconciling then would wrongly find the prompt missing. */
  submitting = true;
  started = false;
  cancelRequested = false;
  /** Seen `execution_success` / `_error` / `_interrupted`: only the final read of history is left. */
  finishing:
    | { kind: 'success' }
    | { kind: 'error'; error: ComfyExecutionErrorInfo }
    | { kind: 'interrupted' }
    | undefined;
  lastEventAt: number;
  unreachableSince: number | undefined;
  readonly #now: () => number;
  #listeners = new Set<(e: ComfyJobEvent) => void>();
  #resolve!: (o: PromptOutcome) => void;
  #settled = false;

  constructor(promptId: string, graph: Graph, now: () => number = Date.now) {
    this.promptId = promptId;
    this.graph = graph;
    this.#now = now;
    this.lastEventAt = now();
    this.progress = new ProgressTracker(graph);
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  subscribe(listener: (e: ComfyJobEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: ComfyJobEvent): void {
    if (this.#settled) return;
    this.lastEventAt = this.#now();
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure must not stop the others or the prompt's own bookkeeping.
      }
    }
  }

  markStarted(): void {
    if (this.started) return;
    this.started = true;
    this.emit({ type: 'started' });
  }

  finish(outcome: PromptOutcome): void {
    if (this.#settled) return;
    this.emit(outcome);
    this.#settled = true;
    this.#listeners.clear();
    this.#resolve(outcome);
  }

  /** Outputs gathered from `executed` messages, for when history cannot be read. */
  collectedOutputs(): ComfyOutput[] {
    return [...this.outputs.values()].flat();
  }

  titleOf(node: string): { classType?: string; title?: string } {
    const n = this.graph[node];
    return { classType: n?.class_type, title: n?._meta?.title };
  }
}
