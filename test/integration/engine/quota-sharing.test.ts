import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { RecordingFrontEnd, SD15_MODELS, settled, testApp } from '../../helpers/app.ts';
import { EngineHarness, imagine } from '../../helpers/engine-harness.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';

const harness = new EngineHarness();

describe('quotas across processes and restarts', () => {
  let fake: FakeComfy;
  let redis: RedisServer;
  before(async () => {
    fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 2 });
    redis = await startRedis();
  });
  afterEach(() => harness.close());
  after(async () => {
    await fake.close();
    await redis.stop();
  });

  it('GIVEN two engine instances on one Redis THEN a window used up on one is refused on the other', async () => {
    const backends = [{ name: 'gpu', url: fake.url }];
    const input = { storage: { redisUrl: redis.url }, quotas: { defaults: { perWindow: 2, waiting: 5 } } };
    const { app: a } = await harness.app(backends, input, { instanceId: 'a' });
    const { app: b } = await harness.app(backends, input, { instanceId: 'b' });
    const one = await imagine(a, 'ivy', { prompt: 'one', steps: 2 });
    const two = await imagine(a, 'ivy', { prompt: 'two', steps: 2 });
    assert.ok(one.ok && two.ok);
    const three = await imagine(b, 'ivy', { prompt: 'three', steps: 2 });
    assert.ok(!three.ok, 'the second process refuses: the window is shared');
    assert.equal(three.error.code, 'quota.refused.window');
    assert.match(b.t('en', three.error.code, three.error.params), /2/);
    const other = await imagine(b, 'jack', { prompt: 'someone else', steps: 2 });
    assert.ok(other.ok, 'another person is not affected');
    for (const id of [one.value.id, two.value.id]) assert.equal((await settled(a, id)).state, 'succeeded');
    assert.equal((await settled(b, other.value.id)).state, 'succeeded');
  });

  it('GIVEN the embedded store THEN a used-up window is still used up after a restart', async () => {
    const config = harness.config([{ name: 'gpu', url: fake.url }], {
      quotas: { defaults: { perWindow: 1 } },
    });
    const first = await testApp(config);
    first.engine.registerFrontEnd(new RecordingFrontEnd());
    await first.engine.start();
    const r = await imagine(first, 'kim', { prompt: 'before restart', steps: 2 });
    assert.ok(r.ok);
    await settled(first, r.value.id);
    await first.close(1000);

    const { app: second } = await harness.started(config);
    const refused = await imagine(second, 'kim', { prompt: 'after restart', steps: 2 });
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'quota.refused.window');
    assert.ok(Number(refused.error.params?.retryAt) > Date.now() / 1000, 'says when to try again');
  });
});
