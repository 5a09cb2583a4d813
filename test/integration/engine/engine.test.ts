import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import type { FakeComfy, FakeComfyOptions } from '../../fakes/comfy/index.ts';
import { FAST_CLIENTS, requester, settled, waitFor } from '../../helpers/app.ts';
import { fastClock } from '../../helpers/clocks.ts';
import { EngineHarness, imagine, promptPosts } from '../../helpers/engine-harness.ts';

const PNG = '89504e470d0a1a0a';
const harness = new EngineHarness();
const fake = (options: FakeComfyOptions = {}) => harness.fake(options);
const app = (backends: FakeComfy[], input: Record<string, unknown> = {}) => harness.app(backends, input);

describe('job engine', () => {
  afterEach(() => harness.close());
  after(() => undefined);

  it('GIVEN a prompt THEN the job runs, its progress is reported and the images are delivered once', async () => {
    const { app: a, fe } = await app([await fake({ stepDelayMs: 20 })]);
    const submitted = await imagine(a, 'alice', { prompt: 'a lighthouse', steps: 10 });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const job = await settled(a, submitted.value.id);
    assert.equal(job.state, 'succeeded');
    assert.equal(fe.deliveries.length, 1);
    const file = fe.deliveries[0]!.result.files[0]!;
    assert.equal(file.bytes.subarray(0, 8).toString('hex'), PNG);
    assert.equal(file.mime, 'image/png');
    assert.ok(fe.updates.some((u) => u.job.state === 'running' && (u.progress?.fraction ?? 0) > 0));
    // The final update is paced like the others: it follows the persisted end within one interval.
    await waitFor(() => fe.finalOf(job.id)?.job.state === 'succeeded', 5000, 'the final update');
    assert.equal(typeof job.seed, 'number');
    const previews = fe.updates.filter((u) => u.preview);
    assert.ok(previews.length > 0, 'previews reach the front end through the update pacer');
    assert.equal(previews[0]!.preview!.mime, 'image/jpeg');
  });

  it('GIVEN one heavy user and ten light users THEN each light job waits at most one job per other user', async () => {
    const f = await fake({ stepDelayMs: 2 });
    const { app: a } = await app([f], {
      quotas: { defaults: { waiting: 50, running: 2, perWindow: 1000 } },
    });
    const order: string[] = [];
    const heavy: string[] = [];
    const heavyAtQueued = new Map<string, number>();
    a.engine.onTransition((job, from) => {
      if (job.state === 'dispatched' && !order.includes(job.id)) order.push(job.id);
      if (job.state === 'queued' && from === undefined && job.ownerKey !== 'cli:heavy') {
        heavyAtQueued.set(job.id, order.filter((x) => heavy.includes(x)).length);
      }
    });
    for (let i = 0; i < 20; i++) {
      const r = await imagine(a, 'heavy', { prompt: `heavy ${i}` });
      assert.ok(r.ok);
      heavy.push(r.value.id);
    }
    const light: string[] = [];
    for (let u = 0; u < 10; u++) {
      const r = await imagine(a, `light${u}`, { prompt: `light ${u}` });
      assert.ok(r.ok);
      light.push(r.value.id);
    }
    await waitFor(
      async () =>
        (await Promise.all([...heavy, ...light].map((id) => a.engine.get(id)))).every(
          (j) => j?.state === 'succeeded',
        ),
      60_000,
    );
    // Round-robin: after a light user arrives, the heavy user gets at most one more turn before them.
    for (const [k, id] of light.entries()) {
      const at = order.indexOf(id);
      assert.ok(at >= 0, `light job ${k} was dispatched`);
      const heavyBefore = order.slice(0, at).filter((x) => heavy.includes(x)).length;
      const atArrival = heavyAtQueued.get(id)!;
      assert.ok(
        heavyBefore - atArrival <= 1,
        `light user ${k} waited behind ${heavyBefore - atArrival} heavy jobs dispatched after they arrived`,
      );
    }
  });

  it('GIVEN a user at their waiting limit THEN the refusal names the limit, and nothing is queued', async () => {
    const f = await fake({ stepDelayMs: 50 });
    const { app: a } = await app([f], { quotas: { defaults: { waiting: 2, running: 1 } } });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await imagine(a, 'bob', { prompt: `p ${i}` }));
    const refused = results.filter((r) => !r.ok);
    assert.ok(refused.length >= 1);
    const message = refused[0]!.ok ? '' : a.t('en', refused[0]!.error.code, refused[0]!.error.params);
    assert.match(message, /wait|queue/i);
    assert.match(
      refused[0]!.ok ? '' : a.t('zh', refused[0]!.error.code, refused[0]!.error.params),
      /[\u4e00-\u9fff]/,
    );
  });

  it('GIVEN a waiting job and a running job WHEN their owner cancels them THEN both end canceled, and another user cannot', async () => {
    const f = await fake({ stepDelayMs: 5 });
    const { app: a } = await app([f], {
      backends: [{ name: 'gpu1', url: f.url, maxQueued: 1 }],
      quotas: { defaults: { waiting: 5, running: 3 } },
    });
    // Held at its first node until both cancels are in: it cannot finish before it is canceled.
    f.stall(true);
    const running = await imagine(a, 'carol', { prompt: 'one', steps: 30 });
    const second = await imagine(a, 'carol', { prompt: 'two', steps: 30 });
    const waiting = await imagine(a, 'carol', { prompt: 'three', steps: 30 });
    assert.ok(running.ok && second.ok && waiting.ok);
    await waitFor(async () => (await a.engine.get(running.value.id))?.state === 'running');
    const refused = await a.engine.cancel(running.value.id, requester('mallory'));
    assert.ok(!refused.ok && refused.error.code === 'jobs.notYours');
    assert.ok((await a.engine.cancel(waiting.value.id, requester('carol'))).ok);
    assert.ok((await a.engine.cancel(running.value.id, requester('carol'))).ok);
    f.stall(false);
    assert.equal((await settled(a, waiting.value.id)).state, 'canceled');
    assert.equal((await settled(a, running.value.id)).state, 'canceled');
    assert.equal((await settled(a, second.value.id, 30_000)).state, 'succeeded');
    assert.equal(f.interrupts.global, 0);
  });

  it('GIVEN the same platform event twice THEN one job is created', async () => {
    const f = await fake();
    const { app: a } = await app([f]);
    const input = {
      requester: requester('dave'),
      request: { template: 'sd15-txt2img', prompt: 'x', values: { steps: 4 } },
      delivery: { platform: 'cli' as const },
      idempotencyKey: 'interaction:123',
    };
    const [one, two] = await Promise.all([a.engine.submit(input), a.engine.submit(input)]);
    assert.ok(one.ok && two.ok);
    assert.equal(one.value.id, two.value.id);
    await settled(a, one.value.id);
    assert.equal(promptPosts(f).length, 1);
  });

  it('GIVEN two backends and one is killed mid-job THEN the job completes on the other and says it moved', async () => {
    const one = await fake({ stepDelayMs: 10 });
    const two = await fake({ stepDelayMs: 10 });
    // Held mid-job on either backend until one is killed: it cannot finish where it started.
    for (const f of [one, two]) f.stall(true);
    // Looked at after 200 ms without news and taken for lost 300 ms after its backend stopped answering
    // (the default waits are not under test).
    const { app: a, fe } = await harness.app(
      [one, two],
      {},
      {
        clientOptions: { ...FAST_CLIENTS, idleEventMs: 200, unreachableLostMs: 300 },
      },
    );
    const r = await imagine(a, 'erin', { prompt: 'failover', steps: 20 });
    assert.ok(r.ok);
    await waitFor(async () => (await a.engine.get(r.value.id))?.state === 'running');
    const first = (await a.engine.get(r.value.id))!.backend!;
    const victim = first === 'gpu1' ? one : two;
    await victim.close();
    (victim === one ? two : one).stall(false);
    const job = await settled(a, r.value.id, 20_000);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    assert.notEqual(job.backend, first);
    assert.ok(
      fe.updates.some((u) => u.movedFrom === first),
      'the owner was told the job moved',
    );
    assert.equal(fe.deliveries.length, 1);
  });

  it('GIVEN backends with different models THEN a job goes only to one that has its checkpoint', async () => {
    const without = await fake({ models: { checkpoints: ['other.safetensors'] } });
    const withModel = await fake();
    const { app: a } = await app([without, withModel]);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const r = await imagine(a, `u${i}`, { prompt: `route ${i}` });
      assert.ok(r.ok);
      ids.push(r.value.id);
    }
    for (const id of ids) assert.equal((await settled(a, id)).backend, 'gpu2');
    assert.equal(promptPosts(without).length, 0);
  });

  it('GIVEN no backend has the checkpoint THEN the submit is refused before anything is queued, naming the model', async () => {
    const f = await fake({ models: { checkpoints: ['other.safetensors'] } });
    const { app: a } = await app([f]);
    const r = await imagine(a, 'frank');
    assert.ok(!r.ok);
    const text = a.t('en', r.error.code, r.error.params);
    assert.match(text, /v1-5-pruned-emaonly\.safetensors/);
    assert.match(text, /other\.safetensors/);
    assert.equal(promptPosts(f).length, 0);
  });

  it('GIVEN a front end failing with 429 at first THEN the result is delivered once it recovers', async () => {
    // The engine's delivery backoff passes 20 times faster.
    const { app: a, fe } = await harness.app([await fake()], {}, { clock: fastClock(20) });
    fe.failDeliveries = 1;
    const r = await imagine(a, 'gina');
    assert.ok(r.ok);
    assert.equal((await settled(a, r.value.id)).state, 'succeeded');
    assert.equal(fe.deliveries.length, 1);
  });

  it('GIVEN a runtime error in ComfyUI THEN the owner is told which node failed and why', async () => {
    const f = await fake();
    f.failNode('KSampler', 'CUDA error: device-side assert triggered', 'RuntimeError');
    const { app: a, fe } = await app([f]);
    const r = await imagine(a, 'hank');
    assert.ok(r.ok);
    const job = await settled(a, r.value.id);
    assert.equal(job.state, 'failed');
    const text = a.t('en', job.error!.code, job.error!.params);
    assert.match(text, /KSampler/);
    assert.match(text, /device-side assert/);
    await waitFor(() => fe.finalOf(job.id)?.job.state === 'failed', 5000, 'the final update');
  });
});
