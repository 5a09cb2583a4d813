import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { pngBytes } from '../../fakes/comfy/images.ts';
import type { FakeComfyOptions } from '../../fakes/comfy/index.ts';
import { requester, settled, waitFor } from '../../helpers/app.ts';
import { fastClock } from '../../helpers/clocks.ts';
import { EngineHarness, imagine, promptPosts } from '../../helpers/engine-harness.ts';

const harness = new EngineHarness();

async function setup(input: Record<string, unknown> = {}, fakeOptions: FakeComfyOptions = {}) {
  const fake = await harness.fake(fakeOptions);
  const { app, fe } = await harness.app([fake], input, {
    // The engine's retry pauses (store writes, admissions) pass 20 times faster; ComfyUI keeps real time.
    clock: fastClock(20),
    clientOptions: {
      idleEventMs: 500,
      unreachableLostMs: 1500,
      historyRetryMs: 5,
      reconnect: { initialMs: 20, maxMs: 200 },
    },
  });
  return { fake, app, fe };
}

describe('the known holes, closed', () => {
  afterEach(() => harness.close());

  it('GIVEN ComfyUI queued a prompt but its answer was lost THEN the id is looked up and the job runs once', async () => {
    const { fake, app, fe } = await setup();
    fake.dropResponses(/^\/prompt$/, 1);
    const r = await imagine(app, 'ann');
    assert.ok(r.ok);
    const job = await settled(app, r.value.id);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    assert.equal(promptPosts(fake).length, 1, 'not submitted a second time');
    assert.ok(
      fake.requests.some((q) => q.path === '/queue' && q.method === 'GET'),
      'looked the id up',
    );
    assert.equal(fe.deliveries.filter((d) => d.job.id === r.value.id).length, 1);
  });

  it('GIVEN /history failing a few times THEN the job still succeeds; failing for good THEN it fails with a clear message', async () => {
    const { fake, app } = await setup();
    fake.failHttp(/^\/history\//, 500, 3);
    const first = await imagine(app, 'bea');
    assert.ok(first.ok);
    assert.equal((await settled(app, first.value.id)).state, 'succeeded');

    fake.failHttp(/^\/history\//, 503);
    const second = await imagine(app, 'bea');
    assert.ok(second.ok);
    const job = await settled(app, second.value.id, 20_000);
    assert.equal(job.state, 'failed');
    assert.equal(job.error?.code, 'jobs.resultUnreadable');
    assert.match(app.t('en', job.error!.code, job.error!.params), /ComfyUI finished this job.*503/);
    assert.equal(promptPosts(fake).length, 2, 'the unreadable job was not run again');
  });

  it('GIVEN the job store failing when a job is dispatched THEN the transition waits for the write and the job runs once', async () => {
    const { fake, app, fe } = await setup();
    const set = app.storage.jobs.set.bind(app.storage.jobs);
    let failures = 0;
    let storedAt = 0;
    app.storage.jobs.set = async (id, job, ttl) => {
      if ((job as JobRecord).state === 'dispatched' && failures < 3) {
        failures++;
        throw new Error('store unavailable');
      }
      await set(id, job, ttl);
      if ((job as JobRecord).state === 'dispatched') storedAt ||= Date.now();
    };
    const r = await imagine(app, 'cal');
    assert.ok(r.ok);
    const job = await settled(app, r.value.id);
    assert.equal(job.state, 'succeeded');
    assert.equal(failures, 3);
    assert.equal(promptPosts(fake).length, 1);
    assert.ok(promptPosts(fake)[0]!.t >= storedAt, 'submitted only once the dispatch was stored');
    assert.equal(fe.deliveries.length, 1);
  });

  it('GIVEN storing the input image throws THEN the admission is given back and the person is told', async () => {
    const { app } = await setup({ quotas: { defaults: { waiting: 1, running: 1 } } });
    const put = app.storage.blobs.set.bind(app.storage.blobs);
    // Failing for good (past the few quick retries of an admission).
    let fail = true;
    app.storage.blobs.set = async (...args) => {
      if (fail) throw new Error('disk full');
      await put(...args);
    };
    const image = { bytes: await pngBytes(32, 32, [10, 200, 30]), mime: 'image/png' };
    const submit = () =>
      app.engine.submit({
        requester: requester('dan'),
        request: { template: 'sd15-img2img', prompt: 'again', values: { steps: 4 } },
        delivery: { platform: 'cli' },
        inputImage: image,
      });
    const refused = await submit();
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'jobs.storageFailed');
    assert.match(app.t('zh', refused.error.code), /未扣除额度/);
    const usage = await app.quota.usage(requester('dan'));
    assert.equal(usage.waiting.used, 0, 'no waiting slot kept');
    fail = false;
    const next = await submit();
    assert.ok(next.ok, 'the one waiting slot is free again');
    assert.equal((await settled(app, next.value.id)).state, 'succeeded');
  });

  it('GIVEN jobs that succeed, fail, get lost, are canceled waiting or running THEN each admission ends exactly once', async () => {
    const { fake, app } = await setup(
      { quotas: { defaults: { waiting: 20, running: 5 } } },
      { stepDelayMs: 20 },
    );
    const ends = new Map<string, number>();
    const admit = app.quota.admit.bind(app.quota);
    app.quota.admit = async (who, options) => {
      const r = await admit(who, options);
      if (!r.ok) return r;
      const id = options?.jobId ?? '?';
      const a = r.value;
      const count = () => ends.set(id, (ends.get(id) ?? 0) + 1);
      const finished = a.finished.bind(a);
      const released = a.released.bind(a);
      return {
        ok: true,
        value: Object.assign(Object.create(a), {
          finished: (u?: { gpuSeconds?: number }) => {
            count();
            return finished(u);
          },
          released: () => {
            count();
            return released();
          },
        }),
      };
    };
    const ok = await imagine(app, 'eve');
    const runningCancel = await imagine(app, 'eve', { steps: 40 });
    const waitingCancel = await imagine(app, 'eve', { steps: 4 });
    assert.ok(ok.ok && runningCancel.ok && waitingCancel.ok);
    await waitFor(async () => (await app.engine.get(runningCancel.value.id))?.state === 'running');
    assert.ok((await app.engine.cancel(runningCancel.value.id, requester('eve'))).ok);
    assert.ok((await app.engine.cancel(waitingCancel.value.id, requester('eve'))).ok);
    fake.failNode('KSampler', 'boom', 'RuntimeError');
    const failed = await imagine(app, 'eve');
    assert.ok(failed.ok);
    assert.equal((await settled(app, failed.value.id)).state, 'failed');
    fake.clearFaults();
    const lost = await imagine(app, 'eve', { steps: 40 });
    assert.ok(lost.ok);
    await waitFor(async () => (await app.engine.get(lost.value.id))?.state === 'running');
    // Its second run need not be slow.
    fake.setStepDelay(2);
    await fake.restart();
    const all = [ok, runningCancel, waitingCancel, failed, lost].map((r) => (r.ok ? r.value.id : ''));
    for (const id of all) await settled(app, id, 20_000);
    assert.equal((await app.engine.get(lost.value.id))?.attempts, 2, 'the lost job ran again');
    assert.deepEqual(
      all.map((id) => ends.get(id)),
      all.map(() => 1),
      'one end per admission',
    );
    const usage = await app.quota.usage(requester('eve'));
    assert.deepEqual([usage.running.used, usage.waiting.used], [0, 0]);
  });
});
