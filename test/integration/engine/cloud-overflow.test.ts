import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { EngineHarness, imagine } from '../../helpers/engine-harness.ts';
import { settled, waitFor } from '../../helpers/app.ts';
import { CLOUD_KEY } from '../comfy/v2-helpers.ts';
import { cloudBackend } from './cloud-backend.ts';

const idOf = (r: { ok: boolean; value?: JobRecord }) => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value!.id;
};

describe('Comfy Cloud as an overflow backend, within a budget', () => {
  const h = new EngineHarness();
  let cloud: FakeCloud;
  before(async () => {
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY, steps: 2, stepDelayMs: 5, concurrency: 2 });
  });
  afterEach(async () => {
    cloud.script.submitAnswers.length = 0;
    cloud.release();
    await h.close();
  });
  after(() => cloud.close());

  it('GIVEN one busy local GPU and the cloud marked overflow THEN only a job whose estimated wait passes the threshold goes to the cloud, and once the budget is spent the person is told which limit', async () => {
    const local = await h.fake();
    local.stall(true);
    const overflow = { overflow: { afterWaitSeconds: 75 }, budget: { perCommunity: { jobsPerDay: 1 } } };
    const { app, fe } = await h.app([local, cloudBackend(cloud, overflow)], {
      scheduler: { defaultJobSeconds: 30 },
      quotas: { defaults: { running: 5, waiting: 5 } },
    });
    // Two jobs fill the local GPU (one running, one queued on ComfyUI).
    const j1 = idOf(await imagine(app, 'alice'));
    const j2 = idOf(await imagine(app, 'alice'));
    await waitFor(() => app.pool.get('gpu1')!.jobs.size === 2);
    // About 60 s to wait for the local GPU: under the 75 s threshold, it waits.
    const j3 = idOf(await imagine(app, 'alice'));
    // Behind it, about 90 s: past the threshold, to the cloud.
    const j4 = idOf(await imagine(app, 'alice'));
    const fourth = await settled(app, j4);
    assert.equal(fourth.state, 'succeeded');
    assert.equal(fourth.backend, 'cloud');
    assert.ok(fourth.remoteId, 'the service job id was stored');
    assert.equal((await app.engine.get(j3))?.state, 'queued');
    assert.equal(cloud.stats.submits, 1);
    assert.equal(fe.deliveries.find((d) => d.job.id === j4)?.result.files.length, 1);

    // Past the threshold again, but this community's one cloud job of the day is spent.
    const j5 = idOf(await imagine(app, 'alice'));
    await waitFor(() => fe.updates.some((u) => u.job.id === j5 && u.note));
    const note = fe.updates.find((u) => u.job.id === j5 && u.note)!.note!;
    assert.equal(note.code, 'jobs.cloudBudget.community.jobsPerDay');
    assert.equal(note.params?.['max'], 1);
    // What the chat front ends show under a waiting job's status.
    const waiting = fe.updates.findLast((u) => u.job.id === j5 && u.job.state === 'queued')!.job;
    assert.deepEqual(waiting.waitNote, note);
    assert.equal(cloud.stats.submits, 1, 'nothing more was sent to the cloud');
    const left = app.budget.remaining('cloud', app.config.backends[1]!.budget, 'cli');
    assert.deepEqual(
      left.map((r) => [r.scope, r.limit, r.left]),
      [['community', 'jobsPerDay', 0]],
    );

    local.stall(false);
    for (const id of [j1, j2, j3, j5]) {
      const job = await settled(app, id);
      assert.equal(job.state, 'succeeded');
      assert.equal(job.backend, 'gpu1');
    }
  });

  it('GIVEN no local GPU can run a job and the overall budget is spent THEN the job is refused at once, naming the limit', async () => {
    const budget = { overall: { jobsPerMonth: 1 } };
    const { app } = await h.app([cloudBackend(cloud, { overflow: { afterWaitSeconds: 0 }, budget })]);
    const first = await settled(app, idOf(await imagine(app, 'bob')));
    assert.equal(first.backend, 'cloud');
    const refused = await imagine(app, 'bob');
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'jobs.cloudBudgetNoLocal');
    assert.equal(refused.error.params?.['limit'], 'jobsPerMonth');
    assert.equal(refused.error.params?.['scopeName'], 'overall');
  });

  it('GIVEN the cloud answers 402 THEN the backend is marked out of credits (metrics too) and the job runs on the local GPU, once', async () => {
    const local = await h.fake();
    const { app } = await h.app([cloudBackend(cloud), local]);
    cloud.script.submitAnswers.push({ status: 402, message: 'no credits left' });
    const runs = cloud.stats.runs.length;
    const job = await settled(app, idOf(await imagine(app, 'carol')));
    assert.equal(job.state, 'succeeded');
    assert.equal(job.backend, 'gpu2');
    assert.equal(cloud.stats.runs.length, runs, 'nothing ran on the cloud');
    assert.equal(app.pool.get('cloud')!.condition, 'out_of_credits');
    assert.match(app.pool.get('cloud')!.lastError ?? '', /out of credits/);
    const metrics = await app.metrics.registry.metrics();
    assert.match(metrics, /comfyrelay_backend_out_of_credits\{backend="cloud"\} 1/);
    // While the pause lasts, the next job goes straight to the local GPU.
    const submits = cloud.stats.submits;
    const next = await settled(app, idOf(await imagine(app, 'carol')));
    assert.equal(next.backend, 'gpu2');
    assert.equal(cloud.stats.submits, submits);
  });

  it('GIVEN the cloud answers 402 and no other backend can run the job THEN the person is told the cloud is out of credits', async () => {
    const { app } = await h.app([cloudBackend(cloud)]);
    cloud.script.submitAnswers.push({ status: 402 });
    const job = await settled(app, idOf(await imagine(app, 'dave')));
    assert.equal(job.state, 'failed');
    assert.equal(job.error?.code, 'jobs.backendOutOfCredits');
    assert.equal(job.error?.params?.['backend'], 'cloud');
  });
});
