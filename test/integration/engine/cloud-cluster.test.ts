import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { App, AppOptions } from '../../../src/core/app.ts';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { type RecordingFrontEnd, settled, waitFor } from '../../helpers/app.ts';
import { ManualClock } from '../../helpers/clocks.ts';
import { type EngineBackend, EngineHarness, imagine } from '../../helpers/engine-harness.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';
import { CLOUD_KEY } from '../comfy/v2-helpers.ts';
import { cloudBackend } from './cloud-backend.ts';

const harness = new EngineHarness();
const SHARED: AppOptions = { leaseMs: 1000, interruptedAfterMs: 300 };

describe('Comfy Cloud overflow and budget across processes (Redis)', () => {
  let redis: RedisServer;
  let cloud: FakeCloud;
  before(async () => {
    redis = await startRedis();
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY, steps: 2, stepDelayMs: 5, concurrency: 4 });
  });
  after(async () => {
    await cloud.close();
    await redis.stop();
  });
  afterEach(async () => {
    await harness.close();
    cloud.release();
    const client = new Redis(redis.url);
    await client.flushall();
    await client.quit();
  });

  /** One ComfyRelay process (in this test process) on the shared Redis. */
  function relay(
    name: string,
    backends: EngineBackend[],
    input: Record<string, unknown> = {},
    options: AppOptions = {},
  ) {
    return harness.app(
      backends,
      { storage: { redisUrl: redis.url }, quotas: { defaults: { running: 5, waiting: 10 } }, ...input },
      { instanceId: name, ...SHARED, ...options },
    );
  }

  it('GIVEN two processes sharing a budget of 2 cloud jobs a day THEN together they send no more than 2, and the others are told which limit', async () => {
    const overflow = { overflow: { afterWaitSeconds: 0 }, budget: { overall: { jobsPerDay: 2 } } };
    const a = await relay('a', [cloudBackend(cloud, overflow)]);
    const b = await relay('b', [cloudBackend(cloud, overflow)]);
    const submits = cloud.stats.submits;
    // Both processes start with nothing spent as far as they know, and take jobs at once.
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];
    const results = await Promise.all(users.map((u, i) => imagine((i % 2 ? b : a).app, u)));
    const admitted = results.flatMap((r) => (r.ok ? [r.value.id] : []));
    for (const r of results) if (!r.ok) assert.equal(r.error.code, 'jobs.cloudBudgetNoLocal');
    const ended: JobRecord[] = [];
    await waitFor(
      async () => {
        ended.length = 0;
        for (const id of admitted) {
          const job = await a.app.engine.get(id);
          if (job?.state === 'succeeded') ended.push(job);
        }
        return ended.length === 2;
      },
      15_000,
      'two jobs run on the cloud',
    );
    const told = (fe: RecordingFrontEnd, id: string) =>
      fe.updates.some((u) => u.job.id === id && u.note?.code === 'jobs.cloudBudget.overall.jobsPerDay');
    const waiting = admitted.filter((id) => !ended.some((j) => j.id === id));
    await waitFor(
      () => waiting.every((id) => told(a.fe, id) || told(b.fe, id)),
      15_000,
      'every waiting person told of the daily limit',
    );
    assert.equal(
      cloud.stats.submits - submits,
      2,
      'two jobs sent to the cloud, from both processes together',
    );
    for (const id of waiting) assert.equal((await a.app.engine.get(id))?.state, 'queued');
    for (const { app } of [a, b]) {
      await app.budget.load();
      const left = app.budget.remaining('cloud', app.config.backends[0]!.budget);
      assert.deepEqual(
        left.map((r) => [r.limit, r.used, r.left]),
        [['jobsPerDay', 2, 0]],
      );
    }
  });

  it('GIVEN one busy local GPU shared by two processes and the cloud marked overflow THEN only the job whose wait in the shared line passes the threshold goes to the cloud', async () => {
    const local = await harness.fake();
    local.stall(true);
    const gpu = { name: 'gpu1', url: local.url, maxQueued: 1 };
    const overflow = { overflow: { afterWaitSeconds: 75 }, budget: { overall: { jobsPerDay: 10 } } };
    const input = { scheduler: { defaultJobSeconds: 30 } };
    const a = await relay('a', [gpu, cloudBackend(cloud, overflow)], input);
    const b = await relay('b', [gpu, cloudBackend(cloud, overflow)], input);
    const submits = cloud.stats.submits;
    const id = (r: Awaited<ReturnType<typeof imagine>>) =>
      r.ok ? r.value.id : assert.fail(JSON.stringify(r.error));
    // Two jobs fill the local GPU (one running, one queued on ComfyUI), counted over both processes.
    const j1 = id(await imagine(a.app, 'ann'));
    const j2 = id(await imagine(b.app, 'bea'));
    await waitFor(() => local.queueIds().pending.length === 1, 10_000, 'the local GPU full');
    // About 60 s to wait for it: under the 75 s threshold, it waits.
    const j3 = id(await imagine(b.app, 'cat'));
    // Behind it in the shared line, about 90 s: past the threshold, to the cloud.
    const j4 = id(await imagine(a.app, 'dan'));
    const fourth = await settled(a.app, j4);
    assert.equal(fourth.state, 'succeeded');
    assert.equal(fourth.backend, 'cloud');
    assert.equal((await a.app.engine.get(j3))?.state, 'queued');
    assert.equal(cloud.stats.submits - submits, 1);
    local.stall(false);
    for (const job of [j1, j2, j3]) {
      const done = await settled(a.app, job, 20_000);
      assert.equal(done.state, 'succeeded');
      assert.equal(done.backend, 'gpu1');
    }
    const spent = (app: App) => app.budget.remaining('cloud', app.config.backends[1]!.budget)[0]?.used;
    await b.app.budget.load();
    assert.equal(spent(b.app), 1, 'the other process sees the cloud job counted');
  });

  it("GIVEN the engine's clock standing still and a job whose wait passes the threshold THEN it goes to the cloud as soon as the shared line is read, with no tick", async () => {
    const local = await harness.fake();
    local.stall(true);
    const gpu = { name: 'gpu1', url: local.url, maxQueued: 1 };
    const overflow = { overflow: { afterWaitSeconds: 75 }, budget: { overall: { jobsPerDay: 10 } } };
    const input = { scheduler: { defaultJobSeconds: 30 } };
    // Time stands still for the engine: no periodic dispatch round ever runs, only those events start.
    const clock = new ManualClock();
    const a = await relay('a', [gpu, cloudBackend(cloud, overflow)], input, { clock });
    const submits = cloud.stats.submits;
    const id = (r: Awaited<ReturnType<typeof imagine>>) =>
      r.ok ? r.value.id : assert.fail(JSON.stringify(r.error));
    for (const user of ['ann', 'bea']) id(await imagine(a.app, user));
    await waitFor(() => local.queueIds().pending.length === 1, 10_000, 'the local GPU full');
    // About 60 s and 90 s to wait for the GPU: the second is past the 75 s threshold.
    const j3 = id(await imagine(a.app, 'cat'));
    const j4 = id(await imagine(a.app, 'dan'));
    await waitFor(() => cloud.stats.submits - submits === 1, 10_000, 'the job sent to the cloud');
    assert.equal((await a.app.engine.get(j4))?.backend, 'cloud');
    assert.equal((await a.app.engine.get(j3))?.state, 'queued');
    local.stall(false);
  });
});
