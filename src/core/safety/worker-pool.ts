import { Worker } from 'node:worker_threads';
import { type Clock, type ClockTimer, systemClock } from '#shared/clock.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { ClassifyTask, WorkerMessage } from './worker-protocol.ts';

export interface WorkerPoolOptions {
  /** Worker threads; each holds its own copy of the model. */
  size: number;
  /** The worker's module (the nsfwjs worker, or a stand-in speaking the same protocol in tests). */
  workerUrl: URL;
  workerData?: unknown;
  /**
   * An image a worker has been classifying longer than this fails (`timeout`), and the worker, taken as
   * stuck, is terminated and replaced. Counted from when a worker takes the image, not from the request:
   * a burst of images queued behind a healthy worker must not fail for waiting their turn.
   */
  timeoutMs: number;
  /** An image still waiting for a worker after this fails (`timeout`, the detail says it was the queue). */
  queueTimeoutMs: number;
  clock?: Clock;
  /** Replacements that fail to start in a row before the pool stops trying. */
  maxStartFailures?: number;
  onEvent?: (event: PoolEvent) => void;
}

export type PoolEvent =
  | { type: 'ready'; worker: number; loadMs: number; backend: string }
  | { type: 'start-failed'; worker: number; error: string }
  | { type: 'exited'; worker: number; code: number; busy: boolean }
  | { type: 'stuck'; worker: number };

export type PoolFailure = { reason: 'timeout' | 'failed' | 'unavailable'; detail?: string };

interface Pending {
  task: ClassifyTask;
  settle: (r: Result<number[][], PoolFailure>) => void;
  queueTimer?: ClockTimer;
}

interface Slot {
  n: number;
  worker: Worker;
  ready: boolean;
  current?: Pending;
  watchdog?: ClockTimer;
}

/**
 * A fixed set of model workers fed from one FIFO queue, one task per worker at a time. A crashed or stuck
 * worker is replaced; its task fails (the caller turns that into an `unknown` verdict) and the others go on.
 */
export class WorkerPool {
  readonly #o: WorkerPoolOptions;
  readonly #clock: Clock;
  readonly #slots = new Set<Slot>();
  readonly #queue: Pending[] = [];
  readonly #starting: Array<(ok: boolean) => void> = [];
  #nextId = 1;
  #nextWorker = 1;
  #startFailures = 0;
  #closed = false;
  #unavailable: string | undefined;

  constructor(options: WorkerPoolOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Starts every worker; resolves once each is ready or failed. Ok when at least one is ready. */
  async start(): Promise<Result<{ workers: number }, string>> {
    const started = await Promise.all(
      Array.from({ length: Math.max(1, this.#o.size) }, () => new Promise<boolean>((r) => this.#spawn(r))),
    );
    const ready = started.filter(Boolean).length;
    if (ready > 0) return ok({ workers: ready });
    return err(this.#unavailable ?? 'no classifier worker started');
  }

  /**
   * Classifies an image file (its sampled frames), or fails: a timeout (in the queue, or once a worker
   * took it), a crash, no worker, an undecodable file.
   */
  run(image: Uint8Array, maxFrames: number): Promise<Result<number[][], PoolFailure>> {
    if (this.#closed) return Promise.resolve(err({ reason: 'unavailable', detail: 'closed' }));
    if (this.#unavailable !== undefined && this.#slots.size === 0) {
      return Promise.resolve(err({ reason: 'unavailable', detail: this.#unavailable }));
    }
    return new Promise((resolve) => {
      const pending: Pending = {
        task: { id: this.#nextId++, image, maxFrames },
        settle: (r) => {
          this.#clock.clearTimeout(pending.queueTimer);
          pending.settle = () => {};
          resolve(r);
        },
      };
      const { queueTimeoutMs } = this.#o;
      pending.queueTimer = this.#clock.setTimeout(() => {
        const i = this.#queue.indexOf(pending);
        if (i >= 0) this.#queue.splice(i, 1);
        pending.settle(err({ reason: 'timeout', detail: `waited over ${queueTimeoutMs} ms in the queue` }));
      }, queueTimeoutMs);
      this.#queue.push(pending);
      this.#pump();
    });
  }

  /** Workers ready to take tasks now. */
  get readyWorkers(): number {
    return [...this.#slots].filter((s) => s.ready).length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.settle(err({ reason: 'unavailable', detail: 'closed' }));
    await Promise.all(
      [...this.#slots].map((s) => {
        this.#release(s)?.settle(err({ reason: 'unavailable', detail: 'closed' }));
        return s.worker.terminate();
      }),
    );
    this.#slots.clear();
    for (const r of this.#starting.splice(0)) r(false);
  }

  #spawn(onStarted?: (ok: boolean) => void): void {
    if (this.#closed) {
      onStarted?.(false);
      return;
    }
    const worker = new Worker(this.#o.workerUrl, { workerData: this.#o.workerData });
    const slot: Slot = { n: this.#nextWorker++, worker, ready: false };
    this.#slots.add(slot);
    if (onStarted) this.#starting.push(onStarted);
    let reported = false;
    const started = (success: boolean) => {
      if (reported) return;
      reported = true;
      const i = onStarted ? this.#starting.indexOf(onStarted) : -1;
      if (i >= 0) this.#starting.splice(i, 1);
      onStarted?.(success);
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        slot.ready = true;
        // An idle pool must not keep the process alive; a request's queue timer or watchdog does meanwhile.
        worker.unref();
        this.#startFailures = 0;
        this.#o.onEvent?.({ type: 'ready', worker: slot.n, loadMs: m.loadMs, backend: m.backend });
        started(true);
        this.#pump();
      } else if (m.type === 'unavailable') {
        this.#unavailable = m.error;
      } else if (slot.current?.task.id === m.id) {
        const done = this.#release(slot);
        done?.settle(m.type === 'scores' ? ok(m.frames) : err({ reason: 'failed', detail: m.error }));
        this.#pump();
      }
    });
    // 'error' is always followed by 'exit'; the exit handler does the cleanup.
    worker.on('error', (e) => {
      if (!slot.ready) this.#unavailable ??= e.message;
    });
    worker.on('exit', (code) => this.#exited(slot, code, started));
  }

  #exited(slot: Slot, code: number, started: (ok: boolean) => void): void {
    const wasReady = slot.ready;
    this.#slots.delete(slot);
    const lost = this.#release(slot);
    if (this.#closed) return;
    this.#o.onEvent?.({ type: 'exited', worker: slot.n, code, busy: lost !== undefined });
    lost?.settle(err({ reason: 'failed', detail: `classifier worker exited (${code})` }));
    if (!wasReady) {
      this.#startFailures++;
      this.#o.onEvent?.({
        type: 'start-failed',
        worker: slot.n,
        error: this.#unavailable ?? `exit ${code}`,
      });
      started(false);
    }
    if (this.#startFailures < (this.#o.maxStartFailures ?? 3)) this.#spawn();
    else this.#unavailable ??= 'classifier workers keep failing to start';
    if (this.#slots.size === 0) {
      for (const p of this.#queue.splice(0))
        p.settle(err({ reason: 'unavailable', detail: this.#unavailable }));
    }
  }

  /** Frees a worker from its task, returning the task (still unsettled). */
  #release(slot: Slot): Pending | undefined {
    this.#clock.clearTimeout(slot.watchdog);
    const current = slot.current;
    slot.current = undefined;
    slot.watchdog = undefined;
    return current;
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.current) continue;
      const next = this.#queue.shift();
      if (!next) return;
      this.#clock.clearTimeout(next.queueTimer);
      slot.current = next;
      slot.watchdog = this.#clock.setTimeout(() => {
        this.#o.onEvent?.({ type: 'stuck', worker: slot.n });
        // The slot keeps its (now settled) task until the worker has exited, so it takes no other.
        slot.current?.settle(err({ reason: 'timeout' }));
        void slot.worker.terminate(); // the exit handler starts a replacement
      }, this.#o.timeoutMs);
      // A copy the worker may own (the encoded file, a few MB at most): the caller still delivers its bytes.
      // (`new Uint8Array`: a Buffer's `slice` is a view of a shared pool, which cannot be transferred.)
      const image = new Uint8Array(next.task.image);
      slot.worker.postMessage({ ...next.task, image }, [image.buffer]);
    }
  }
}
