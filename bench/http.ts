/**
 * bench/http: N concurrent clients, each running M jobs one after another through
 * `POST /api/relay/imagine?wait=true`, against fake ComfyUI backends (own processes) with a fixed GPU time.
 * Prints throughput against the ideal (backends / gpuMs), latency, the latency ComfyRelay adds on top of
 * queueing and GPU time, and RSS.
 *
 *   node bench/http.ts [clients=100] [jobsPerClient=5] [backends=3] [gpuMs=200]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startHttp } from '../src/adapters/http/index.ts';
import { ApiKeys } from '../src/core/keys/api-keys.ts';
import { testApp, testConfig } from '../test/helpers/app.ts';
import { fmt, machine, percentile } from './stats.ts';

const [clients = 100, perClient = 5, backends = 3, gpuMs = 200] = process.argv.slice(2).map(Number);
const node = process.execPath;

async function fakeBackend(): Promise<{ url: string; stop(): void }> {
  const child = spawn(node, [resolve(import.meta.dirname, 'fake-comfy-process.ts')], {
    env: { ...process.env, FAKE_JOB_MS: String(gpuMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { url: line.trim(), stop: () => child.kill('SIGTERM') };
}

const fakes = await Promise.all(Array.from({ length: backends }, fakeBackend));
const config = testConfig({
  // Each waiting request holds an event stream; the bench's one key holds one per client.
  http: { limits: { streamsPerKey: 10_000 } },
  backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
  quotas: {
    tiers: [
      {
        name: 'bench',
        match: { apiKeyTier: 'bench' },
        running: 10_000,
        waiting: 10_000,
        perWindow: 1_000_000,
      },
    ],
  },
});
const app = await testApp(config);
const { key } = await new ApiKeys(app.storage.keys).create({ name: 'bench', tier: 'bench' });
const http = await startHttp(app, { port: 0 });
await app.engine.start();

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const latencies: number[] = [];
const added: number[] = [];
// The old figure: a job sent ahead to ComfyUI waits there behind the running prompt (up to one GPU time).
const addedWithBackendQueue: number[] = [];
let failures = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let j = 0; j < perClient; j++) {
      const start = performance.now();
      const res = await fetch(`${http.url}/api/relay/imagine?wait=true`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: `client ${c} job ${j} --steps 4` }),
      });
      const body = await res.arrayBuffer();
      const ms = performance.now() - start;
      if (res.status !== 200 || res.headers.get('content-type') !== 'image/png') {
        if (failures === 0)
          console.error(
            res.status,
            res.headers.get('content-type'),
            Buffer.from(body).toString().slice(0, 300),
          );
        failures++;
        continue;
      }
      latencies.push(ms);
      const timing = res.headers.get('server-timing') ?? '';
      const queued = Number(/queue;dur=(\d+)/.exec(timing)?.[1] ?? 0);
      const atBackend = Number(/backend;dur=(\d+)/.exec(timing)?.[1] ?? 0);
      addedWithBackendQueue.push(ms - queued - gpuMs);
      added.push(ms - queued - atBackend - gpuMs);
    }
  }),
);
const wallS = (performance.now() - t0) / 1000;
clearInterval(sampler);
const jobs = clients * perClient;
const ideal = backends / (gpuMs / 1000);
const got = latencies.length / wallS;
console.log(`bench/http — ${machine()}`);
console.log(
  `${clients} clients × ${perClient} jobs, ${backends} backends × ${gpuMs} ms GPU; ${latencies.length}/${jobs} ok, ${failures} failed`,
);
console.log(
  `throughput ${got.toFixed(2)} jobs/s vs ideal ${ideal.toFixed(2)} (${((100 * got) / ideal).toFixed(1)}%), wall ${wallS.toFixed(1)} s (ideal ${(jobs / ideal).toFixed(1)} s)`,
);
console.log(`latency p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}`);
console.log(
  `added latency (client time − queue wait − wait at the backend − GPU time) p50 ${fmt(percentile(added, 50))}, p99 ${fmt(percentile(added, 99))}`,
);
console.log(
  `  counting the wait at the backend as added (the earlier figure): p50 ${fmt(percentile(addedWithBackendQueue, 50))}, p99 ${fmt(percentile(addedWithBackendQueue, 99))}`,
);
console.log(
  `RSS peak ${(peakRss / 2 ** 20).toFixed(0)} MiB, end ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
await http.close();
await app.close(2000);
for (const f of fakes) f.stop();
config.cleanup();
process.exit(0);
