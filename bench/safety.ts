/**
 * bench/safety: the image-safety classifier (nsfwjs MobileNetV2 on tfjs-wasm, in the worker pool) on
 * generated 1024×1024 PNGs like a render's (a gradient with fine grain, ~3 MB). Prints the model load
 * time, the decode+resize cost alone, one-at-a-time latency (what a delivery waits for), throughput with
 * every worker busy, and last the line `classify 1024x1024: p50 X ms, p99 Y ms` (one at a time).
 *
 *   node bench/safety.ts [images=200] [workers=default]
 */
import sharp from 'sharp';
import { modelFrames } from '../src/core/safety/frames.ts';
import { defaultWorkers, type PoolEvent, startPoolClassifier } from '../src/core/safety/index.ts';
import { fmt, machine, percentile } from './stats.ts';

const N = Number(process.argv[2] ?? 200);
const workers = Number(process.argv[3] ?? defaultWorkers());
const SIDE = 1024;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** A render-like image: a colour gradient with per-pixel grain, different for each seed. */
async function render(seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(SIDE * SIDE * 3);
  let s = seed * 2654435761 || 1;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const i = (y * SIDE + x) * 3;
      const grain = (s & 31) - 16;
      raw[i] = Math.max(0, Math.min(255, ((x + seed * 37) % SIDE) / 4 + grain));
      raw[i + 1] = Math.max(0, Math.min(255, y / 4 + grain));
      raw[i + 2] = Math.max(0, Math.min(255, 128 + ((x * y) >> 14) + grain));
    }
  }
  return sharp(raw, { raw: { width: SIDE, height: SIDE, channels: 3 } })
    .png()
    .toBuffer();
}

console.log(
  `safety: nsfwjs MobileNetV2 on tfjs-wasm, ${workers} worker(s), ${N} images of ${SIDE}x${SIDE}; ${machine()}`,
);
const images = await Promise.all(Array.from({ length: 8 }, (_, i) => render(i + 1)));
console.log(`images: 8 distinct PNGs, ${mib(images.reduce((a, b) => a + b.length, 0) / 8)} each on average`);
const rssBefore = process.memoryUsage().rss;

const loads: number[] = [];
const t0 = performance.now();
const started = await startPoolClassifier({
  workers,
  timeoutMs: 60_000,
  onEvent: (e: PoolEvent) => {
    if (e.type === 'ready') loads.push(e.loadMs);
  },
});
if (!started.ok) {
  console.log(`classifier unavailable: ${started.error}`);
  process.exit(1);
}
const classifier = started.value;
console.log(
  `model load: pool ready in ${fmt(performance.now() - t0)}; per worker ${loads.map(fmt).join(', ')} (wasm init + model + warm-up inference)`,
);
console.log(`RSS: ${mib(rssBefore)} before the pool, ${mib(process.memoryUsage().rss)} with it`);

const decode: number[] = [];
for (let i = 0; i < Math.min(N, 50); i++) {
  const t = performance.now();
  await modelFrames(images[i % images.length]!, 1);
  decode.push(performance.now() - t);
}
console.log(
  `decode+resize to 224x224 alone (sharp; done in the worker before each inference): p50 ${fmt(percentile(decode, 50))}, p99 ${fmt(percentile(decode, 99))}`,
);

for (let i = 0; i < 5; i++) await classifier.classify(images[i % images.length]!, 'image/png'); // warm-up
const latencies: number[] = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  const v = await classifier.classify(images[i % images.length]!, 'image/png');
  latencies.push(performance.now() - t);
  if (v.kind !== 'scored') throw new Error(`image ${i}: ${JSON.stringify(v)}`);
}

const burst = Math.max(workers * 4, 16);
const tb = performance.now();
const burstLat = await Promise.all(
  Array.from({ length: burst }, async (_, i) => {
    const t = performance.now();
    await classifier.classify(images[i % images.length]!, 'image/png');
    return performance.now() - t;
  }),
);
const wall = performance.now() - tb;
console.log(
  `burst of ${burst} at once: ${(burst / (wall / 1000)).toFixed(1)} images/s, latency p50 ${fmt(percentile(burstLat, 50))}, p99 ${fmt(percentile(burstLat, 99))} (queueing included)`,
);
console.log(`RSS after: ${mib(process.memoryUsage().rss)}`);
await classifier.close();
console.log(
  `classify 1024x1024: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
);
