/**
 * bench/http's clients, in their own process so the bench's RSS is ComfyRelay's alone. Reads
 * `{ url, key, clients, perClient }` from argv[2] (JSON); prints one JSON line: for each job that
 * answered with its image, its id and when the request started and the answer ended (epoch ms).
 */
const { url, key, clients, perClient } = JSON.parse(process.argv[2]!) as {
  url: string;
  key: string;
  clients: number;
  perClient: number;
};
const now = () => performance.timeOrigin + performance.now();
const samples: { id: string; start: number; end: number }[] = [];
let failures = 0;
let firstFailure = '';
const t0 = now();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let j = 0; j < perClient; j++) {
      const start = now();
      const res = await fetch(`${url}/api/relay/imagine?wait=true`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: `client ${c} job ${j} --steps 4` }),
      });
      const body = await res.arrayBuffer();
      const end = now();
      if (res.status !== 200 || res.headers.get('content-type') !== 'image/png') {
        failures++;
        firstFailure ||= `${res.status} ${Buffer.from(body).toString().slice(0, 300)}`;
        continue;
      }
      samples.push({ id: res.headers.get('x-job-id') ?? '', start, end });
    }
  }),
);
process.stdout.write(`${JSON.stringify({ samples, failures, firstFailure, wallS: (now() - t0) / 1000 })}\n`);
