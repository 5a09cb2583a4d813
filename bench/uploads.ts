/**
 * bench/uploads: N parallel uploads of M MB each to `POST /api/v2/assets`, against ComfyRelay's HTTP
 * server in its own process; prints that process's peak RSS (VmHWM) and the answers.
 *
 *   node bench/uploads.ts [parallel=6] [mb=45] [kind=noise|image] [rounds=3]
 *
 * `noise`: a PNG signature over random bytes (streamed, hashed, then refused by the image check: over
 * 20 MB); `image`: a real PNG of random pixels just under the 20 MB input limit (stored).
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { Agent, FormData, fetch } from 'undici';
import { machine } from './stats.ts';

const [parallel = 6, mb = 45] = process.argv.slice(2, 4).map(Number);
const kind = process.argv[4] ?? 'noise';
const rounds = Number(process.argv[5] ?? 3);
const MB = 1024 * 1024;

// The server runs with `npm start`'s Node flags.
const server = spawn(
  process.execPath,
  ['--max-semi-space-size=16', resolve(import.meta.dirname, 'upload-server-process.ts')],
  {
    env: { ...process.env, UPLOAD_MB: String(Math.max(50, mb + 5)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
// The server goes with the bench, however the bench ends.
process.on('exit', () => server.kill('SIGKILL'));
const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
const { url, key } = JSON.parse(line) as { url: string; key: string };
const status = (field: string) =>
  Number(
    /(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8').split(`${field}:`)[1] ?? '')?.[1],
  ) / 1024;

async function file(i: number): Promise<Buffer> {
  if (kind === 'image') {
    const side = Math.floor(Math.sqrt((mb * MB) / 3));
    const raw = randomFillSync(Buffer.alloc(side * side * 3));
    return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
  }
  const bytes = randomFillSync(Buffer.alloc(mb * MB));
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, i]).copy(bytes);
  return bytes;
}

const files = await Promise.all(Array.from({ length: parallel }, (_, i) => file(i)));
const idle = status('VmRSS');
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const cpuBefore = cpuSeconds();
const answers: Record<string, number> = {};
const times: number[] = [];
for (let round = 0; round < rounds; round++) {
  await Promise.all(
    files.map(async (bytes, i) => {
      // Noise gets new content each round (nothing deduplicated); an image stays valid, so repeats.
      if (kind !== 'image') bytes[bytes.length - 1] = round;
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), `upload-${round}-${i}.png`);
      const start = performance.now();
      const res = await fetch(`${url}/api/v2/assets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}` },
        body: form,
        // A fresh connection each: an idle kept-alive one may be closed by the server as it is reused.
        dispatcher: new Agent(),
      }).catch((error: Error) => ({ status: `${error.cause ?? error}`, text: async () => '' }));
      const text = await res.text();
      if (process.env.VERBOSE) console.error(res.status, text.slice(0, 200));
      times.push(performance.now() - start);
      answers[res.status] = (answers[res.status] ?? 0) + 1;
    }),
  );
}
const peak = status('VmHWM');
const cpu = cpuSeconds() - cpuBefore;
console.log(`bench/uploads — ${machine()}`);
console.log(
  `${rounds} rounds × ${parallel} parallel uploads of ${(files[0]!.length / MB).toFixed(1)} MB (${kind}); answers ${JSON.stringify(answers)}`,
);
console.log(`server RSS idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
console.log(
  `server CPU ${cpu.toFixed(1)} s for ${((rounds * parallel * files[0]!.length) / MB).toFixed(0)} MB`,
);
console.log(`upload time p50 ${times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!.toFixed(0)} ms`);
server.kill('SIGTERM');
await once(server, 'exit');
