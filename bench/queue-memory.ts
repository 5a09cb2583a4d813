/**
 * bench/queue-memory: RSS of a ComfyRelay process holding 10,000 queued jobs (embedded SQLite store).
 * The fake ComfyUI runs stalled in a child process, so the figure is ComfyRelay's alone.
 *
 *   node --expose-gc --max-semi-space-size=16 bench/queue-memory.ts   (npm run bench:memory; npm start uses the same flag)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../src/core/app.ts';
import { configSchema } from '../src/config/index.ts';
import { createLogger } from '../src/core/logger.ts';

const WORKFLOWS_DIR = resolve(import.meta.dirname, '../workflows');
// RSS with 10,000 queued jobs, in a process holding only ComfyRelay: the (stalled) fake ComfyUI runs in a
// child process and jobs go to the default embedded SQLite file, so nothing leaves the queue.
const child = spawn(process.execPath, [join(import.meta.dirname, 'fake-comfy-process.ts')], {
  env: { ...process.env, FAKE_STALLED: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve) =>
  child.stdout.once('data', (d) => resolve(String(d).trim())),
);
const dataDir = mkdtempSync(join(tmpdir(), 'comfyrelay-bench-'));
const bigConfig = configSchema.parse({
  backends: [{ name: 'gpu', url }],
  workflowsDir: WORKFLOWS_DIR,
  dataDir,
  logLevel: 'silent',
});
const big = await createApp(bigConfig, {
  storage: 'configured',
  unlimitedQuota: true,
  logger: createLogger({ level: 'silent' }),
});
big.engine.registerFrontEnd({ platform: 'cli', update() {}, async deliver() {} });
await big.engine.start();
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage().rss;
console.log(`before: heapUsed ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
const q0 = performance.now();
for (let i = 0; i < 10_000; i++) {
  const r = await big.engine.submit({
    requester: { platform: 'cli', userId: `u${i % 100}` },
    request: { template: 'sd15-txt2img', prompt: `queued ${i}`, values: { steps: 4 } },
    delivery: { platform: 'cli' },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
}
const queueMs = performance.now() - q0;
// Let V8 finish sweeping and give back what the burst of submits left behind, as an idle server would.
for (let i = 0; i < 3; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 1000));
}
const rss = process.memoryUsage().rss;
const m = process.memoryUsage();
console.log(
  `heap used ${(m.heapUsed / 2 ** 20).toFixed(0)} MB of ${(m.heapTotal / 2 ** 20).toFixed(0)} MB, external ${(m.external / 2 ** 20).toFixed(0)} MB`,
);
console.log(
  `10,000 queued jobs: RSS ${(rss / 2 ** 20).toFixed(0)} MB (${(before / 2 ** 20).toFixed(0)} MB before queueing; target < 200 MB); queued in ${(queueMs / 1000).toFixed(1)} s; ${big.engine.queueSnapshot().waiting} waiting`,
);
await big.close(500);
child.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
