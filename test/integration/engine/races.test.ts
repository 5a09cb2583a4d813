import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pngBytes } from '../../fakes/comfy/images.ts';
import type { FakeComfy, FakeComfyOptions } from '../../fakes/comfy/index.ts';
import { requester, settled, testApp, waitFor } from '../../helpers/app.ts';
import { EngineHarness, imagine, promptPosts } from '../../helpers/engine-harness.ts';

const harness = new EngineHarness();
const fake = (options: FakeComfyOptions = {}) => harness.fake(options);

describe('job engine races', () => {
  afterEach(() => harness.close());

  const app = async (f: FakeComfy, input: Record<string, unknown> = {}) =>
    (await harness.app([f], input)).app;

  it('GIVEN a job canceled while it is being dispatched (its input image uploading) THEN it ends canceled, not run to success', async () => {
    const f = await fake({ stepDelayMs: 30 });
    const a = await app(f);
    const r = await a.engine.submit({
      requester: requester('ann'),
      request: { template: 'sd15-img2img', prompt: 'cancel me', values: { steps: 20 } },
      delivery: { platform: 'cli' },
      inputImage: { bytes: await pngBytes(32, 32, [10, 200, 30]), mime: 'image/png' },
    });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.equal((await a.engine.get(r.value.id))?.state, 'dispatched');
    assert.ok((await a.engine.cancel(r.value.id, requester('ann'))).ok);
    const job = await settled(a, r.value.id, 20_000);
    assert.equal(job.state, 'canceled');
  });

  it('GIVEN a job canceled while dispatched WHEN its submit fails THEN it is not queued again', async () => {
    const f = await fake({ stepDelayMs: 30 });
    const a = await app(f);
    f.failHttp(/\/prompt$/, 500, 1);
    const r = await imagine(a, 'bob', { prompt: 'cancel me too', steps: 20 });
    assert.ok(r.ok);
    assert.ok((await a.engine.cancel(r.value.id, requester('bob'))).ok);
    const job = await settled(a, r.value.id, 20_000);
    assert.equal(job.state, 'canceled');
    await new Promise((r) => setTimeout(r, 300));
    // Canceled before its submit went out, it is not submitted at all; after, never a second time.
    assert.ok(promptPosts(f).length <= 1, 'the canceled job was not submitted a second time');
  });

  it('GIVEN a job left in delivering by a restart THEN after it is delivered its owner has no running slot held', async () => {
    const f = await fake();
    const config = harness.config([f]);
    // No front end for `cli` in the first process: the job stops in `delivering`, kept for later.
    const first = await testApp(config);
    await first.engine.start();
    const r = await imagine(first, 'cid', { prompt: 'deliver later' });
    assert.ok(r.ok);
    await waitFor(async () => (await first.engine.get(r.value.id))?.state === 'delivering');
    await first.close(1000);

    const { app: second } = await harness.started(config);
    assert.equal((await settled(second, r.value.id)).state, 'succeeded');
    const usage = await second.quota.usage(requester('cid'));
    assert.equal(usage.running.used, 0, 'the delivered job holds no running slot');
    const next = await imagine(second, 'cid', { prompt: 'next one' });
    assert.ok(next.ok);
    assert.equal((await settled(second, next.value.id)).state, 'succeeded');
  });
  it('GIVEN a job lost when its backend restarts THEN its retry is not charged a second window slot', async () => {
    const f = await fake({ stepDelayMs: 40 });
    const a = await app(f, { quotas: { defaults: { perWindow: 2 } } });
    const r = await imagine(a, 'dee', { prompt: 'lost once', steps: 20 });
    assert.ok(r.ok);
    await waitFor(async () => (await a.engine.get(r.value.id))?.state === 'running');
    // Its second run need not be slow.
    f.setStepDelay(2);
    await f.restart();
    const job = await settled(a, r.value.id, 20_000);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.attempts, 2);
    const second = await imagine(a, 'dee', { prompt: 'second of two' });
    assert.ok(second.ok, `second job refused: ${JSON.stringify(!second.ok && second.error)}`);
  });
});
