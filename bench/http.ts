/**
 * bench/http: N concurrent clients, each running M jobs one after another through
 * `POST /api/relay/imagine?wait=true`, against fake ComfyUI backends (own processes) with a fixed GPU time.
 * Prints throughput against the ideal (backends / gpuMs), latency, the latency ComfyRelay adds on top of
 * queueing and GPU time, and ComfyRelay's RSS (the clients run in a process of their own, as the fakes do).
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
// Production timings, not the tests' fast ones (object_info every 500 ms, short socket silences).
const app = await testApp(config, { clientOptions: undefined, refreshIntervalMs: undefined });
const { key } = await new ApiKeys(app.storage.keys).create({ name: 'bench', tier: 'bench' });
const http = await startHttp(app, { port: 0 });
await app.engine.start();

// ALLOC_PROFILE=file: every allocation sampled (collected ones too), written as a .heapprofile.
const session = process.env.ALLOC_PROFILE
  ? new (await import('node:inspector/promises')).Session()
  : undefined;
if (session) {
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32768,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const client = spawn(
  node,
  [
    resolve(import.meta.dirname, 'http-clients-process.ts'),
    JSON.stringify({ url: http.url, key, clients, perClient, gpuMs }),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const [result] = (await once(createInterface({ input: client.stdout! }), 'line')) as [string];
const { latencies, added, addedWithBackendQueue, failures, firstFailure, wallS } = JSON.parse(result) as {
  latencies: number[];
  added: number[];
  addedWithBackendQueue: number[];
  failures: number;
  firstFailure: string;
  wallS: number;
};
if (firstFailure) console.error(`first failure: ${firstFailure}`);
clearInterval(sampler);
if (session) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  (await import('node:fs')).writeFileSync(process.env.ALLOC_PROFILE!, JSON.stringify(profile));
}
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
if (process.env.DETAIL) {
  const jobs = (await app.engine.list?.()) ?? [];
  for await (const [, job] of app.storage.jobs.list()) {
    const t = (at?: number) => (at === undefined ? '-' : String(at - job.createdAt));
    console.error(
      `job created 0 dispatched ${t(job.dispatchedAt)} started ${t(job.startedAt)} finished ${t(job.finishedAt)} delivered ${t(job.deliveredAt)} notified ${t(job.notifiedAt)} updated ${t(job.updatedAt)}`,
    );
  }
  void jobs;
}
if (process.env.MEMORY_DETAIL) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `after GC: rss ${mib(m.rss)}, heap ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, external ${mib(m.external)}`,
  );
}
await http.close();
await app.close(2000);
for (const f of fakes) f.stop();
config.cleanup();
process.exit(0);
