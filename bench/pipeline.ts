/**
 * bench/pipeline: 300 jobs from 30 users on 3 fake backends with fixed GPU time. Prints makespan divided
 * by the ideal (total GPU time / backends), the longest wait of a light user against the round-robin
 * bound, and the process RSS with 10,000 queued jobs.
 *
 * With `safety`: the image-safety classifier's cost on throughput instead (see pipeline-safety.ts), the
 * same jobs with screening off then on, for two fake GPU speeds: `fast` (gpuMs, default 200 ms an image,
 * 300 jobs: faster than any real GPU at 1024 px, the classifier's own ceiling) and `realistic` (2 s an
 * image, 90 jobs). The last line is the realistic profile's
 * `safety: throughput without X jobs/s, with Y jobs/s, loss Z %`.
 *
 *   node bench/pipeline.ts [gpuMs=200]
 *   node bench/pipeline.ts [gpuMs=200] safety [both|fast|realistic] [jobs]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FakeComfy } from '../test/fakes/comfy/index.ts';
import { startFakeComfy } from '../test/fakes/comfy/index.ts';
import { SD15_MODELS } from '../test/helpers/app.ts';
import { sdWorkflow as sdWorkflowFor } from '../test/integration/comfy/workflows.ts';
import { benchApp } from './pipeline-app.ts';
import { costLine, profileHeader, type SafetyProfile, safetyCost } from './pipeline-safety.ts';
import { machine } from './stats.ts';

const gpuMs = Number(process.argv[2] ?? 200);
const withSafety = process.argv[3] === 'safety';
const PLATFORM = 'cli';
const BACKENDS = 3;
const HEAVY = 5;
const HEAVY_JOBS = 50;
const LIGHT = 25;
const LIGHT_JOBS = 2;

const app = (fakes: FakeComfy[]) => benchApp(fakes, { platform: PLATFORM, safety: false });

if (withSafety) {
  const which = process.argv[4] ?? 'both';
  const jobs = process.argv[5] ? Number(process.argv[5]) : undefined;
  const profiles: SafetyProfile[] = [
    { name: 'fast', gpuMs, jobs: jobs ?? 300 },
    { name: 'realistic', gpuMs: 2000, jobs: jobs ?? 90 },
  ].filter((p) => which === 'both' || p.name === which);
  console.log(`pipeline with image safety; ${machine()}`);
  let last = '';
  for (const p of profiles) {
    console.log(profileHeader(p));
    last = costLine(await safetyCost(p));
    console.log(`  ${last}`);
  }
  console.log(last);
  process.exit(0);
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
  // The fake's own floor: the same number of jobs queued straight into each fake, no ComfyRelay at all.
  const direct0 = performance.now();
  let directSeed = 1_000_000;
  await Promise.all(
    fakes.map(async (f) => {
      for (let i = 0; i < (HEAVY * HEAVY_JOBS + LIGHT * LIGHT_JOBS) / BACKENDS; i++) {
        const prompt = sdWorkflowFor(directSeed++);
        prompt['4'].inputs.ckpt_name = SD15_MODELS.checkpoints[0]!;
        await fetch(`${f.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt }) }).then((r) =>
          r.text(),
        );
      }
      await f.idle();
    }),
  );
  const directMakespan = performance.now() - direct0;
  const a = await app(fakes);
  const submittedAt = new Map<string, number>();
  const dispatchedAt = new Map<string, number>();
  const light = new Set<string>();
  const lightOwner = new Map<string, string>();
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
      requester: { platform: PLATFORM, userId: user },
      request: { template: 'sd15-txt2img', prompt: `job ${seq++}`, values: { steps: 4 } },
      delivery: { platform: PLATFORM },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    submittedAt.set(r.value.id, performance.now());
    if (isLight) {
      light.add(r.value.id);
      lightOwner.set(r.value.id, user);
    }
  };
  for (let j = 0; j < HEAVY_JOBS; j++) for (let u = 0; u < HEAVY; u++) await submit(`heavy${u}`, false);
  for (let j = 0; j < LIGHT_JOBS; j++) for (let u = 0; u < LIGHT; u++) await submit(`light${u}`, true);
  await done;
  const makespan = performance.now() - t0;
  const ideal = (total * gpuMs) / BACKENDS;
  // A light user's first and second jobs, measured separately against their own bounds.
  let longestFirst = 0;
  let longestSecond = 0;
  const seenUser = new Set<string>();
  for (const id of light) {
    const wait = (dispatchedAt.get(id) ?? 0) - submittedAt.get(id)!;
    const user = lightOwner.get(id)!;
    if (seenUser.has(user)) longestSecond = Math.max(longestSecond, wait);
    else longestFirst = Math.max(longestFirst, wait);
    seenUser.add(user);
  }
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
    `the fakes alone (jobs queued straight into them): ${(directMakespan / 1000).toFixed(2)} s, ratio ${(directMakespan / ideal).toFixed(3)}; ComfyRelay over the fakes' own floor: ${(makespan / directMakespan).toFixed(3)}`,
  );
  console.log(
    `longest light-user wait: first job ${(longestFirst / 1000).toFixed(2)} s (round-robin bound ${(bound / 1000).toFixed(2)} s), second job ${(longestSecond / 1000).toFixed(2)} s (bound ${(bound2 / 1000).toFixed(2)} s)`,
  );
  await a.close(2000);

  await Promise.all(fakes.map((f) => f.close()));
}
{
  // The memory figure is taken in a fresh process, so the first phase's garbage does not count.
  const again = spawn(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=16', join(import.meta.dirname, 'queue-memory.ts')],
    { stdio: 'inherit' },
  );
  await new Promise((r) => again.once('exit', r));
  process.exit(0);
}
