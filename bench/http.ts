/**
 * bench/http: N concurrent clients, each running M jobs one after another through
 * `POST /api/relay/imagine?wait=true`, against fake ComfyUI backends (own processes) with a fixed GPU time.
 * Prints throughput against the ideal (backends / gpuMs), latency, the latency ComfyRelay adds on top of
 * queueing and GPU time, and ComfyRelay's RSS (the clients run in a process of their own, as the fakes do).
 *
 *   node bench/http.ts [clients=100] [jobsPerClient=5] [backends=3] [gpuMs=200]
 *
 * Added latency = client time − (GPU end − job accepted): what comes before the job exists (HTTP, parsing,
 * admission) plus what comes after the GPU finished (history, /view, storing the output, answering). The
 * GPU's start and end are ComfyUI's own (`execution_start`/`execution_success` in `/history`), so a job
 * sent ahead and waiting in ComfyUI's queue counts as queue wait, as it is.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { httpDeps } from '../src/adapters/http/deps.ts';
import { startHttp } from '../src/adapters/http/index.ts';
import { ApiKeys } from '../src/core/keys/api-keys.ts';
import { relayPorts } from '../src/core/ports/relay-ports.ts';
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
const http = await startHttp(httpDeps(relayPorts(app), app.config), { port: 0 });
await app.engine.start();

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const client = spawn(
  node,
  [
    resolve(import.meta.dirname, 'http-clients-process.ts'),
    JSON.stringify({ url: http.url, key, clients, perClient }),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const [result] = (await once(createInterface({ input: client.stdout! }), 'line')) as [string];
clearInterval(sampler);
const { samples, failures, firstFailure, wallS } = JSON.parse(result) as {
  samples: { id: string; start: number; end: number }[];
  failures: number;
  firstFailure: string;
  wallS: number;
};
if (firstFailure) console.error(`first failure: ${firstFailure}`);

/** When ComfyUI itself started and finished the job's prompt (its `/history` status messages). */
async function gpuTimes(id: string): Promise<{ accepted: number; gpuStart: number; gpuEnd: number }> {
  const job = (await app.storage.jobs.get(id))!;
  const url = fakes[Number(job.backend!.slice('gpu'.length)) - 1]!.url;
  const history = (await (await fetch(`${url}/history/${job.promptId}`)).json()) as Record<
    string,
    { status: { messages: [string, { timestamp: number }][] } }
  >;
  const at = (event: string) =>
    history[job.promptId!]!.status.messages.find(([e]) => e === event)![1].timestamp;
  return { accepted: job.createdAt, gpuStart: at('execution_start'), gpuEnd: at('execution_success') };
}

const latencies: number[] = [];
const added: number[] = [];
const before: number[] = [];
const after: number[] = [];
for (const s of samples) {
  const t = await gpuTimes(s.id);
  latencies.push(s.end - s.start);
  before.push(t.accepted - s.start);
  after.push(s.end - t.gpuEnd);
  added.push(t.accepted - s.start + (s.end - t.gpuEnd));
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
  `added latency (client time − queue wait − GPU time) p50 ${fmt(percentile(added, 50))}, p99 ${fmt(percentile(added, 99))}`,
);
console.log(
  `  before the job exists p50 ${fmt(percentile(before, 50))}; after the GPU finished p50 ${fmt(percentile(after, 50))}, p99 ${fmt(percentile(after, 99))}`,
);
console.log(
  `RSS peak ${(peakRss / 2 ** 20).toFixed(0)} MiB, end ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
await http.close();
await app.close(2000);
for (const f of fakes) f.stop();
config.cleanup();
process.exit(0);
