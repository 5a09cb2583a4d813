/** Messages between the classifier pool and its workers (structured-clone safe). */

/**
 * Parent → worker: classify an image file (PNG, JPEG, WebP, GIF…, as the backend saved it). The worker
 * decodes it itself, straight to the model's 224×224 input (up to `maxFrames` sampled frames of an
 * animation): the full-size raster never exists outside it, and decoding counts in the pool's bound.
 */
export interface ClassifyTask {
  id: number;
  image: Uint8Array;
  maxFrames: number;
}

/** Worker → parent. */
export type WorkerMessage =
  /** The model is loaded and warmed up; the worker takes tasks from now on. */
  | { type: 'ready'; loadMs: number; backend: string }
  /** The model could not be loaded: the worker exits after this. */
  | { type: 'unavailable'; error: string }
  /** One output vector per frame, in the model's class order. */
  | { type: 'scores'; id: number; frames: number[][] }
  | { type: 'error'; id: number; error: string };

/** Options a worker starts with (`workerData`). */
export interface WorkerOptions {
  /** A directory holding tfjs-backend-wasm's `.wasm` files, ending in `/`. */
  wasmDir: string;
  /** Which of nsfwjs's bundled models: `MobileNetV2` (default, 224 px). */
  model: 'MobileNetV2';
}
