// 500 `/imagine` interactions delivered at once by the fake Discord, against four fast fake ComfyUI
// servers, everyone in an unlimited tier. The fakes run in their own processes (`fake-discord-process.ts`,
// `fake-comfy-process.ts`), so the figures are ComfyRelay's own event loop. Prints time to the deferral
// callback (p50/p99), whether all jobs finished, and the highest edit rate on any one message.
// Run with the flags `npm start` uses:
//   ./node_modules/.bin/node --max-semi-space-size=16 bench/discord-burst.ts [count]
// Also prints the CPU this process spent from the burst to its last deferral (user+system, per
// interaction): a figure that holds on a loaded machine, unlike the wall times. With
// BURST_CPU_PROFILE=<file.cpuprofile> it writes a CPU profile of that same window
// (summarise it with `bench/cpuprofile-summary.ts`). BURST_ACKS_ONLY=1 stops after the deferrals, without
// waiting for the 500 jobs (quicker before/after comparisons of the deferral window).
// Exits 1 when p99 deferral is not under the 300 ms target or a job did not finish.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { deferralWindow } from './deferral-window.ts';
import { discordDeps } from '../src/adapters/discord/deps.ts';
import { startDiscord } from '../src/adapters/discord/index.ts';
import { relayPorts } from '../src/core/ports/relay-ports.ts';
import { testApp, testConfig } from '../test/helpers/app.ts';
import { fmt, machine, percentile } from './stats.ts';

const COUNT = Number(process.argv[2] ?? 500);

/** Starts a bench/ script in its own process and reads the first line it prints. */
async function child(script: string, env: Record<string, string> = {}) {
  const proc = fork(resolve(import.meta.dirname, script), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [line] = (await once(createInterface({ input: proc.stdout! }), 'line')) as [string];
  return { proc, line: line.trim() };
}

let nextId = 0;
function call<T>(proc: ChildProcess, op: string, args?: number): Promise<T> {
  const id = ++nextId;
  return new Promise<T>((done) => {
    const on = (m: { id: number; result: T }) => {
      if (m.id !== id) return;
      proc.off('message', on);
      done(m.result);
    };
    proc.on('message', on);
    proc.send({ id, op, args });
  });
}

const discordFake = await child('fake-discord-process.ts');
const fake = JSON.parse(discordFake.line) as { restUrl: string; token: string; roleId: string };
const comfy = await Promise.all(
  Array.from({ length: 4 }, () => child('fake-comfy-process.ts', { FAKE_JOB_MS: '20' })),
);
const config = testConfig({
  backends: comfy.map((f, i) => ({ name: `gpu${i + 1}`, url: f.line, maxQueued: 4 })),
  discord: { token: fake.token, apiRoot: fake.restUrl },
  quotas: {
    tiers: [
      {
        name: 'unlimited',
        match: { discordRoles: [fake.roleId] },
        running: 10_000,
        waiting: 10_000,
        perWindow: 1_000_000,
      },
    ],
  },
});
// Catalogues re-read as in production (every 30 s), not at the tests' pace.
const app = await testApp(config, { refreshIntervalMs: 30_000 });
const discord = await startDiscord(discordDeps(relayPorts(app), config));
const failures = new Map<string, number>();
app.engine.onTransition((j) => {
  const why = j.state === 'failed' ? String(j.error?.params?.reason ?? j.error?.code) : undefined;
  if (why) failures.set(why, (failures.get(why) ?? 0) + 1);
});
await app.engine.start();

const window = await deferralWindow(discord.client!.rest, COUNT, process.env.BURST_CPU_PROFILE);
const started = Date.now();
const { latencies, cpuMs: fakeCpuMs } = await call<{ latencies: number[]; cpuMs: number }>(
  discordFake.proc,
  'burst',
  COUNT,
);
let done = 0;
const deadline = Date.now() + 180_000;
while (!process.env.BURST_ACKS_ONLY && done < COUNT && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 200));
  done = await call<number>(discordFake.proc, 'finished');
}
const wall = Date.now() - started;
window.end();
const cpu = await window.cpu;
const { maxRate, violations } = await call<{ maxRate: number; violations: string[] }>(
  discordFake.proc,
  'stats',
);

console.log(`discord burst: ${COUNT} /imagine at once, 4 fake ComfyUI backends — ${machine()}`);
console.log(
  `acknowledged: ${latencies.length}/${COUNT}  deferral p50 ${fmt(percentile(latencies, 50))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(Math.max(...latencies))}`,
);
console.log(
  `CPU from burst to last deferral: ${fmt(cpu.totalMs)} (user ${fmt(cpu.userMs)}, system ${fmt(cpu.systemMs)}) = ${fmt(cpu.totalMs / COUNT)} per interaction, over ${fmt(cpu.wallMs)} wall; ${cpu.sockets} connections opened; GC ${cpu.gc.minor} scavenges ${fmt(cpu.gc.minorMs)}, ${cpu.gc.major} full ${fmt(cpu.gc.majorMs)}`,
);
console.log(`the fake Discord's own CPU over the burst: ${fmt(fakeCpuMs)}`);
console.log(`finished with attachments: ${done}/${COUNT} in ${(wall / 1000).toFixed(1)} s`);
console.log(
  `highest edit rate on one message: ${maxRate}/s  violations: ${violations.length}${violations.length ? ` (${[...new Set(violations)].join(', ')})` : ''}`,
);

for (const [why, n] of failures) console.log(`failed: ${n} × ${why}`);

await discord.close();
await app.close(2000);
for (const c of comfy) c.proc.kill('SIGTERM');
await call(discordFake.proc, 'close');
config.cleanup();
process.exit((done === COUNT || process.env.BURST_ACKS_ONLY) && percentile(latencies, 99) < 300 ? 0 : 1);
