/**
 * A classifier worker thread: loads nsfwjs's bundled MobileNetV2 (shipped inside the npm package as
 * JavaScript modules, so nothing is downloaded) on TensorFlow.js's WebAssembly backend, whose `.wasm`
 * files are read from node_modules. One task at a time (decode with sharp, then infer); the pool sends the
 * next when this one answers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { load } from 'nsfwjs/core';
import { MobileNetV2Model } from 'nsfwjs/models/mobilenet_v2';
import { FRAME_BYTES, MODEL_SIZE, modelFrames } from './frames.ts';
import type { ClassifyTask, WorkerMessage, WorkerOptions } from './worker-protocol.ts';

const port = parentPort!;
const options = workerData as WorkerOptions;
const send = (m: WorkerMessage) => port.postMessage(m);

async function start() {
  const started = performance.now();
  setWasmPaths(options.wasmDir);
  // The pool is the parallelism: one WebAssembly thread per worker. The threaded build cannot start in
  // Node anyway (its pthreads are `blob:` workers, which Node refuses) and tfjs would fall back to the
  // pure-JS CPU backend, ~20× slower: hence also the check below instead of trusting the fallback.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend did not initialise');
  await tf.ready();
  const info = console.info;
  console.info = () => {}; // nsfwjs announces the model it loads on every start
  try {
    const model = await load(options.model, { modelDefinitions: [MobileNetV2Model], size: MODEL_SIZE });
    // The first inference compiles the kernels: pay for it now, not on the first real image.
    await run(model, new Uint8Array(FRAME_BYTES), 1);
    return { model, loadMs: performance.now() - started };
  } finally {
    console.info = info;
  }
}

type Model = Awaited<ReturnType<typeof load>>;

async function run(model: Model, pixels: Uint8Array, frames: number): Promise<number[][]> {
  const out: number[][] = [];
  for (let f = 0; f < frames; f++) {
    const frame = pixels.subarray(f * FRAME_BYTES, (f + 1) * FRAME_BYTES);
    const input = tf.tensor3d(frame, [MODEL_SIZE, MODEL_SIZE, 3], 'int32');
    try {
      const logits = model.infer(input);
      try {
        out.push(Array.from(await logits.data()));
      } finally {
        logits.dispose();
      }
    } finally {
      input.dispose();
    }
  }
  return out;
}

try {
  const { model, loadMs } = await start();
  port.on('message', async (task: ClassifyTask) => {
    try {
      const input = await modelFrames(task.image, task.maxFrames).catch((error: unknown) => {
        throw new Error(`decode: ${error instanceof Error ? error.message : String(error)}`);
      });
      send({ type: 'scores', id: task.id, frames: await run(model, input.pixels, input.frames) });
    } catch (error) {
      send({ type: 'error', id: task.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'ready', loadMs, backend: tf.getBackend() });
} catch (error) {
  send({ type: 'unavailable', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
