/**
 * bench/cli-start: start-to-exit time of the short commands, the median of N runs each (spawned one
 * after the other), once through the entry run directly by Node 24 and once through bin/comfyrelay.js.
 * The first run of each warms Node's compile cache and is not counted.
 *
 *   node bench/cli-start.ts [runs=10]
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, machine } from './stats.ts';

const runs = Number(process.argv[2] ?? 10);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMMANDS: readonly (readonly string[])[] = [
  ['--help'],
  ['workflows'],
  ['workflows', 'inspect', 'workflows/sd15-txt2img.json', '--json'],
];
const ENTRIES = ['src/cli-main.ts', 'bin/comfyrelay.js'];

function timeOnce(entry: string, args: readonly string[]): number {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [join(root, entry), ...args], { cwd: root, stdio: 'ignore' });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`${entry} ${args.join(' ')} exited with ${run.status}`);
  return ms;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

console.log(`cli-start: median of ${runs} runs; ${machine()}`);
console.log(`${'command'.padEnd(64)}${'src/cli-main.ts'.padEnd(20)}bin/comfyrelay.js`);
for (const args of COMMANDS) {
  const medians = ENTRIES.map((entry) => {
    timeOnce(entry, args);
    const samples = Array.from({ length: runs }, () => timeOnce(entry, args));
    return median(samples);
  });
  console.log(
    `${`comfyrelay ${args.join(' ')}`.padEnd(64)}${fmt(medians[0]!).padEnd(20)}${fmt(medians[1]!)}`,
  );
}
