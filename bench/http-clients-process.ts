/**
 * bench/http's clients, in their own process so the bench's RSS is ComfyRelay's alone. Reads
 * `{ url, key, clients, perClient, gpuMs }` from argv[2] (JSON); prints one JSON line with the samples.
 */
const { url, key, clients, perClient, gpuMs } = JSON.parse(process.argv[2]!) as {
  url: string;
  key: string;
  clients: number;
  perClient: number;
  gpuMs: number;
};
const latencies: number[] = [];
const added: number[] = [];
// The earlier figure: a job sent ahead to ComfyUI waits there behind the running prompt (≤ one GPU time).
const addedWithBackendQueue: number[] = [];
let failures = 0;
let firstFailure = '';
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let j = 0; j < perClient; j++) {
      const start = performance.now();
      const res = await fetch(`${url}/api/relay/imagine?wait=true`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: `client ${c} job ${j} --steps 4` }),
      });
      const body = await res.arrayBuffer();
      const ms = performance.now() - start;
      if (res.status !== 200 || res.headers.get('content-type') !== 'image/png') {
        failures++;
        firstFailure ||= `${res.status} ${Buffer.from(body).toString().slice(0, 300)}`;
        continue;
      }
      latencies.push(ms);
      const timing = res.headers.get('server-timing') ?? '';
      const queued = Number(/queue;dur=(\d+)/.exec(timing)?.[1] ?? 0);
      const atBackend = Number(/backend;dur=(\d+)/.exec(timing)?.[1] ?? 0);
      addedWithBackendQueue.push(ms - queued - gpuMs);
      if (process.env.DETAIL) console.error(`total ${ms.toFixed(0)} ${timing}`);
      added.push(ms - queued - atBackend - gpuMs);
    }
  }),
);
const wallS = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ latencies, added, addedWithBackendQueue, failures, firstFailure, wallS })}\n`,
);
