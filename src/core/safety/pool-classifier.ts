import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Clock } from '#shared/clock.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { CLASSIFIABLE_MIME, type SafetyClassifier } from './classifier.ts';
import { type SafetyVerdict, scoresFromVector, unknownVerdict, worstOf } from './scores.ts';
import { type PoolEvent, WorkerPool } from './worker-pool.ts';
import type { WorkerOptions } from './worker-protocol.ts';

export interface PoolClassifierOptions {
  /**
   * Worker threads (default: one per core but one, at least 1, at most 4; each holds ~150 MB RSS). Each
   * decodes and classifies one image at a time, so this also bounds the CPU that screening takes.
   */
  workers?: number;
  /**
   * One image's classification (decoding included), from when a worker takes it, must answer within this
   * (default 10 s); else it is `unknown` (`timeout`) and the worker is replaced.
   */
  timeoutMs?: number;
  /** How long an image may wait for a free worker (default 60 s); then it is `unknown` (`timeout`). */
  queueTimeoutMs?: number;
  /** Frames sampled from an animated image (default 4). */
  maxFrames?: number;
  /** Another worker module speaking the same protocol (tests: a worker that never answers, or crashes). */
  workerUrl?: URL;
  onEvent?: (event: PoolEvent) => void;
  /** The pool's timers (tests: a manual clock). */
  clock?: Clock;
}

export const DEFAULT_CLASSIFIER_TIMEOUT_MS = 10_000;
export const DEFAULT_CLASSIFIER_QUEUE_TIMEOUT_MS = 60_000;

/** The default worker count: leaves a core to the event loop and sharp, as the model is CPU-bound. */
export const defaultWorkers = (cores = availableParallelism()): number => Math.max(1, Math.min(4, cores - 1));

/** Where tfjs-backend-wasm's `.wasm` files are, on disk (its `setWasmPaths` takes a directory prefix). */
export function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

export interface PoolClassifier extends SafetyClassifier {
  /** Workers that loaded the model and take images now. */
  readonly readyWorkers: number;
}

/**
 * Starts the nsfwjs classifier: a pool of worker threads, each loading the model once (bundled in the
 * nsfwjs package: no download) on tfjs's WebAssembly backend. An error when no worker could load it,
 * with the reason; the caller may still run with `scriptedClassifier(unknownVerdict('unavailable'))`.
 */
export async function startPoolClassifier(
  options: PoolClassifierOptions = {},
): Promise<Result<PoolClassifier, string>> {
  const maxFrames = options.maxFrames ?? 4;
  const workerData: WorkerOptions = { wasmDir: wasmDirectory(), model: 'MobileNetV2' };
  const pool = new WorkerPool({
    size: options.workers ?? defaultWorkers(),
    workerUrl: options.workerUrl ?? new URL('./nsfw-worker.ts', import.meta.url),
    workerData,
    timeoutMs: options.timeoutMs ?? DEFAULT_CLASSIFIER_TIMEOUT_MS,
    queueTimeoutMs: options.queueTimeoutMs ?? DEFAULT_CLASSIFIER_QUEUE_TIMEOUT_MS,
    clock: options.clock,
    onEvent: options.onEvent,
  });
  const started = await pool.start();
  if (!started.ok) {
    await pool.close();
    return err(started.error);
  }
  return ok({
    get readyWorkers() {
      return pool.readyWorkers;
    },
    close: () => pool.close(),
    async classify(bytes: Uint8Array, mime: string): Promise<SafetyVerdict> {
      if (!CLASSIFIABLE_MIME.has(mime)) return unknownVerdict('unsupported', mime);
      const result = await pool.run(bytes, maxFrames);
      if (!result.ok) return unknownVerdict(result.error.reason, result.error.detail);
      const frames = result.value.map(scoresFromVector);
      return {
        kind: 'scored',
        scores: frames.length === 1 ? frames[0]! : worstOf(frames),
        frames: frames.length,
      };
    },
  });
}
