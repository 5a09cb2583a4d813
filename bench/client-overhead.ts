/**
 * bench/client-overhead: the same jobs (fixed fake GPU time each) through our ComfyClient, through a
 * minimal reference loop (POST /prompt, wait for the completion message on the socket, GET /view) and
 * through the polling loop the ComfyUI tutorials use (GET /history every second). Prints p50/p99
 * end-to-end latency for each and the ratios.
 *
 *   node bench/client-overhead.ts [jobs=100] [gpuMs=500]
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ComfyClient } from '../src/comfy/index.ts';
import { sdWorkflow } from '../test/integration/comfy/workflows.ts';
import { startFakeComfy } from '../test/fakes/comfy/index.ts';
import { fmt, machine, percentile } from './stats.ts';

const jobs = Number(process.argv[2] ?? 100);
const gpuMs = Number(process.argv[3] ?? 500);
const fake = await startFakeComfy({
  models: { checkpoints: ['tiny-random.safetensors'] },
  jobMs: gpuMs,
  previews: false,
});
let seed = 1;

async function timed(run: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < jobs; i++) {
    const t0 = performance.now();
    await run();
    out.push(performance.now() - t0);
  }
  return out;
}

async function ours(): Promise<number[]> {
  const client = new ComfyClient({ baseUrl: fake.url });
  await client.connect();
  const samples = await timed(async () => {
    const handle = await client.submit(sdWorkflow(seed++));
    const outcome = await handle.done;
    if (outcome.type !== 'succeeded') throw new Error(`job ${outcome.type}`);
    for (const o of outcome.outputs) if (o.file) await client.viewBytes(o.file);
  });
  await client.close();
  return samples;
}

async function minimal(): Promise<number[]> {
  const clientId = randomUUID();
  const ws = new WebSocket(`${fake.wsUrl}?clientId=${clientId}`);
  await new Promise((r) => ws.once('open', r));
  let waiting:
    | { id: string; files: { filename: string; subfolder: string; type: string }[]; done: () => void }
    | undefined;
  ws.on('message', (data, binary) => {
    if (binary || !waiting) return;
    const m = JSON.parse(data.toString()) as { type: string; data: Record<string, unknown> };
    if (m.data.prompt_id !== waiting.id) return;
    if (m.type === 'executed')
      waiting.files.push(...(((m.data.output as { images?: [] })?.images ?? []) as []));
    if (m.type === 'executing' && m.data.node === null) waiting.done();
  });
  const samples = await timed(async () => {
    const id = randomUUID();
    const finished = new Promise<void>((done) => {
      waiting = { id, files: [], done };
    });
    await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({ prompt: sdWorkflow(seed++), client_id: clientId, prompt_id: id }),
    }).then((r) => r.text());
    await finished;
    for (const f of waiting!.files) {
      await fetch(`${fake.url}/view?${new URLSearchParams(f)}`).then((r) => r.arrayBuffer());
    }
  });
  ws.close();
  return samples;
}

async function polling(): Promise<number[]> {
  return timed(async () => {
    const res = (await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({ prompt: sdWorkflow(seed++) }),
    }).then((r) => r.json())) as { prompt_id: string };
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const h = (await fetch(`${fake.url}/history/${res.prompt_id}`).then((r) => r.json())) as Record<
        string,
        { outputs: Record<string, { images?: Record<string, string>[] }> }
      >;
      const entry = h[res.prompt_id];
      if (!entry) continue;
      for (const out of Object.values(entry.outputs)) {
        for (const f of out.images ?? [])
          await fetch(`${fake.url}/view?${new URLSearchParams(f)}`).then((r) => r.arrayBuffer());
      }
      return;
    }
  });
}

console.log(`client-overhead: ${jobs} sequential jobs, ${gpuMs} ms fake GPU time each; ${machine()}`);
const results: Record<string, number[]> = {};
results.minimal = await minimal();
results.comfyrelay = await ours();
results.polling = await polling();
const base50 = percentile(results.minimal, 50);
const base99 = percentile(results.minimal, 99);
console.log('loop        p50          p99          p50/minimal  p99/minimal');
for (const [name, s] of Object.entries(results)) {
  const p50 = percentile(s, 50);
  const p99 = percentile(s, 99);
  console.log(
    `${name.padEnd(11)} ${fmt(p50).padEnd(12)} ${fmt(p99).padEnd(12)} ${(p50 / base50).toFixed(4).padEnd(12)} ${(p99 / base99).toFixed(4)}`,
  );
}
await fake.close();
