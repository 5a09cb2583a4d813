import { randomUUID } from 'node:crypto';
import { pngBytes, rgbFromSeed } from '../comfy/images.ts';
import { type AssetRecord, type AssetStore, outputJson } from './assets.ts';
import type { FakeCloudOptions, FakeCloudScript, FakeCloudStats } from './script.ts';

type Graph = Record<string, { class_type?: string; inputs?: Record<string, unknown> }>;
export type Listener = (event: string, data: unknown) => void;
const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'expired']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FakeJob {
  id: string;
  status: string;
  graph: Graph;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  progress: Record<string, unknown> | null;
  preview?: Record<string, unknown>;
  outputs: AssetRecord[];
  error: Record<string, unknown> | null;
  cancel: boolean;
  listeners: Set<Listener>;
  /** Set while `hold` keeps it after its last step. */
  unhold?: () => void;
}

/**
 * Runs the stand-in's jobs: a queue in front of `concurrency` runners, progress per step, a preview,
 * one output per SaveImage (a PNG) or SaveText (its text), and cancel at step boundaries.
 */
export class JobRunner {
  readonly jobs = new Map<string, FakeJob>();
  /** Where the stand-in listens, for the URLs in `output` events. */
  origin = '';
  readonly #queue: FakeJob[] = [];
  #running = 0;
  readonly #held = new Set<FakeJob>();
  readonly #o: Required<Pick<FakeCloudOptions, 'steps' | 'stepDelayMs' | 'concurrency'>>;
  readonly #script: FakeCloudScript;
  readonly #stats: FakeCloudStats;
  readonly #assets: AssetStore;

  constructor(o: FakeCloudOptions, script: FakeCloudScript, stats: FakeCloudStats, assets: AssetStore) {
    this.#o = { steps: o.steps ?? 4, stepDelayMs: o.stepDelayMs ?? 10, concurrency: o.concurrency ?? 1 };
    this.#script = script;
    this.#stats = stats;
    this.#assets = assets;
  }

  /** Jobs queued or running. */
  get active(): number {
    return [...this.jobs.values()].filter((j) => !TERMINAL.has(j.status)).length;
  }

  queuePosition(job: FakeJob): number | null {
    const i = this.#queue.indexOf(job);
    return i < 0 ? null : i;
  }

  create(graph: Graph): FakeJob {
    const job: FakeJob = {
      id: randomUUID(),
      status: 'queued',
      graph,
      createdAt: Date.now(),
      progress: null,
      outputs: [],
      error: null,
      cancel: false,
      listeners: new Set(),
    };
    this.jobs.set(job.id, job);
    this.#queue.push(job);
    this.#stats.maxActive = Math.max(this.#stats.maxActive, this.active);
    setImmediate(() => this.#pump());
    return job;
  }

  cancel(job: FakeJob): void {
    if (TERMINAL.has(job.status)) return;
    const i = this.#queue.indexOf(job);
    if (i >= 0) {
      this.#queue.splice(i, 1);
      this.#end(job, 'canceled');
      return;
    }
    job.cancel = true;
    this.#set(job, 'canceling');
    job.unhold?.();
  }

  /** Lets held jobs finish, and those still running not stop (`hold` is off again). */
  release(): void {
    this.#script.hold = false;
    for (const job of this.#held) job.unhold?.();
  }

  #pump(): void {
    while (this.#running < this.#o.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      void this.#run(job).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
    for (const j of this.#queue)
      this.#emit(j, 'status', { status: 'queued', queue_position: this.queuePosition(j) });
  }

  async #run(job: FakeJob): Promise<void> {
    this.#stats.runs.push(job.id);
    job.startedAt = Date.now();
    this.#set(job, 'running');
    const sampler = Object.keys(job.graph).find((k) => /Sampler/.test(job.graph[k]?.class_type ?? ''));
    const node = sampler ?? Object.keys(job.graph)[0] ?? '1';
    const steps = this.#o.steps;
    for (let step = 1; step <= steps; step++) {
      await sleep(this.#o.stepDelayMs);
      if (job.cancel) return this.#end(job, 'canceled');
      job.progress = {
        value: (step / steps) * 0.9,
        nodes_done: 0,
        nodes_total: Object.keys(job.graph).length,
        current_node: node,
        current_node_class: job.graph[node]?.class_type ?? null,
        step,
        steps,
        message: `${job.graph[node]?.class_type ?? 'node'} ${step}/${steps}`,
      };
      this.#emit(job, 'progress', job.progress);
      if (step === 1) {
        job.preview = {
          node_id: node,
          content_type: 'image/jpeg',
          data_base64: Buffer.from('preview').toString('base64'),
        };
        this.#emit(job, 'preview', job.preview);
      }
    }
    if (this.#script.hold) {
      this.#held.add(job);
      await new Promise<void>((r) => (job.unhold = r));
      this.#held.delete(job);
      job.unhold = undefined;
    }
    if (job.cancel) return this.#end(job, 'canceled');
    const failure = this.#script.failNext;
    if (failure) {
      this.#script.failNext = undefined;
      job.error = { node_id: null, class_type: null, traceback: null, ...failure };
      return this.#end(job, 'failed');
    }
    for (const out of await this.#outputsOf(job)) {
      job.outputs.push(out);
      this.#emit(job, 'output', outputJson(out, this.origin));
    }
    this.#end(job, 'succeeded');
  }

  async #outputsOf(job: FakeJob): Promise<AssetRecord[]> {
    const outs: AssetRecord[] = [];
    for (const [id, n] of Object.entries(job.graph)) {
      const extra = { jobId: job.id, nodeId: id };
      if (n.class_type === 'SaveImage') {
        const png = await pngBytes(8, 8, rgbFromSeed(job.id));
        outs.push(
          this.#assets.put(png, 'image/png', `ComfyUI_${id}_00001_.png`, { ...extra, kind: 'image' }).record,
        );
      } else if (n.class_type === 'SaveText') {
        const text = new TextEncoder().encode(String(n.inputs?.text ?? ''));
        outs.push(this.#assets.put(text, 'text/plain', `text_${id}.txt`, { ...extra, kind: 'text' }).record);
      }
    }
    return outs;
  }

  #set(job: FakeJob, status: string): void {
    job.status = status;
    this.#emit(job, 'status', { status, queue_position: this.queuePosition(job) });
  }

  #end(job: FakeJob, status: string): void {
    job.completedAt = Date.now();
    if (status === 'succeeded' && job.progress) job.progress = { ...job.progress, value: 1 };
    this.#set(job, status);
    job.listeners.clear();
  }

  #emit(job: FakeJob, event: string, data: unknown): void {
    for (const l of job.listeners) l(event, data);
  }
}

/** The spec's `Job` object. */
export function jobJson(job: FakeJob, runner: JobRunner, origin: string) {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const base = `/api/v2/jobs/${job.id}`;
  return {
    id: job.id,
    status: job.status,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    expires_at: '2099-01-01T00:00:00.000Z',
    queue_position: runner.queuePosition(job),
    progress: job.progress,
    outputs: job.outputs.map((o) => outputJson(o, origin)),
    error: job.error,
    urls: { self: base, events: `${base}/events`, cancel: `${base}/cancel` },
  };
}
