/**
 * bench/pipeline: 300 jobs from 30 users on 3 fake backends with fixed GPU time. Prints makespan divided
 * by the ideal (total GPU time / backends), the longest wait of a light user against the round-robin
 * bound, and the process RSS with 10,000 queued jobs.
 *
 *   node bench/pipeline.ts [gpuMs=200]
 */
import { spawn } from 'node:child_process';
import { configSchema } from '../src/config/index.ts';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/core/logger.ts';
import type { FakeComfy } from '../test/fakes/comfy/index.ts';
import { startFakeComfy } from '../test/fakes/comfy/index.ts';
import { SD15_MODELS, WORKFLOWS_DIR } from '../test/helpers/app.ts';
import { machine } from './stats.ts';

const gpuMs = Number(process.argv[2] ?? 200);
const BACKENDS = 3;
const HEAVY = 5;
const HEAVY_JOBS = 50;
const LIGHT = 25;
const LIGHT_JOBS = 2;

async function app(fakes: FakeComfy[]) {
  const config = configSchema.parse({
    backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
    workflowsDir: WORKFLOWS_DIR,
    logLevel: 'silent',
    progress: { intervalMs: 1000 },
  });
  const a = await createApp(config, {
    storage: 'memory',
    unlimitedQuota: true,
    logger: createLogger({ level: 'silent' }),
  });
  a.engine.registerFrontEnd({ platform: 'cli', update() {}, async deliver() {} });
  await a.engine.start();
  return a;
}

{
  console.log(
    `pipeline: ${HEAVY}×${HEAVY_JOBS} heavy + ${LIGHT}×${LIGHT_JOBS} light jobs, ${BACKENDS} backends, ${gpuMs} ms GPU each; ${machine()}`,
  );
  const fakes = await Promise.all(
    Array.from({ length: BACKENDS }, () =>
      startFakeComfy({ models: SD15_MODELS, jobMs: gpuMs, previews: false }),
    ),
  );
  const a = await app(fakes);
  const submittedAt = new Map<string, number>();
  const dispatchedAt = new Map<string, number>();
  const light = new Set<string>();
  let finished = 0;
  const total = HEAVY * HEAVY_JOBS + LIGHT * LIGHT_JOBS;
  const done = new Promise<void>((resolve) => {
    a.engine.onTransition((job) => {
      if (job.state === 'dispatched' && !dispatchedAt.has(job.id))
        dispatchedAt.set(job.id, performance.now());
      if (job.state === 'succeeded' && ++finished === total) resolve();
      if (job.state === 'failed') console.error('failed', job.id, job.error);
    });
  });
  const t0 = performance.now();
  // Heavy users arrive first with all their jobs; light users right after, as in a busy evening.
  let seq = 0;
  const submit = async (user: string, isLight: boolean) => {
    const r = await a.engine.submit({
      requester: { platform: 'cli', userId: user },
      request: { template: 'sd15-txt2img', prompt: `job ${seq++}`, values: { steps: 4 } },
      delivery: { platform: 'cli' },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    submittedAt.set(r.value.id, performance.now());
    if (isLight) light.add(r.value.id);
  };
  for (let j = 0; j < HEAVY_JOBS; j++) for (let u = 0; u < HEAVY; u++) await submit(`heavy${u}`, false);
  for (let j = 0; j < LIGHT_JOBS; j++) for (let u = 0; u < LIGHT; u++) await submit(`light${u}`, true);
  await done;
  const makespan = performance.now() - t0;
  const ideal = (total * gpuMs) / BACKENDS;
  let longestLight = 0;
  for (const id of light)
    longestLight = Math.max(longestLight, (dispatchedAt.get(id) ?? 0) - submittedAt.get(id)!);
  // Round-robin bound for a light user's first job: every other active user (and the jobs already held on
  // the backends) goes at most once before it, shared by the backends.
  const users = HEAVY + LIGHT;
  const held = BACKENDS * 2;
  const bound = Math.ceil((users - 1 + held) / BACKENDS) * gpuMs;
  // A light user's second job waits one more round.
  const bound2 = bound + Math.ceil(users / BACKENDS) * gpuMs;
  console.log(
    `makespan ${(makespan / 1000).toFixed(2)} s, ideal ${(ideal / 1000).toFixed(2)} s, ratio ${(makespan / ideal).toFixed(3)} (target ≤ 1.03)`,
  );
  console.log(
    `longest light-user wait ${(longestLight / 1000).toFixed(2)} s; round-robin bound ${(bound / 1000).toFixed(2)} s for a first job, ${(bound2 / 1000).toFixed(2)} s for a second`,
  );
  await a.close(2000);

  await Promise.all(fakes.map((f) => f.close()));
}
{
  // The memory figure is taken in a fresh process, so the first phase's garbage does not count.
  const again = spawn(process.execPath, ['--expose-gc', import.meta.filename, String(gpuMs), 'rss'], {
    stdio: 'inherit',
  });
  await new Promise((r) => again.once('exit', r));
  process.exit(0);
}
