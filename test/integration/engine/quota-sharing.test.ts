import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../../src/core/app.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';
import {
  RecordingFrontEnd,
  requester,
  SD15_MODELS,
  settled,
  testApp,
  testConfig,
} from '../../helpers/app.ts';

const imagine = (a: App, user: string, prompt: string) =>
  a.engine.submit({
    requester: requester(user),
    request: { template: 'sd15-txt2img', prompt, values: { steps: 2 } },
    delivery: { platform: 'cli' },
  });

describe('quotas across processes and restarts', () => {
  let fake: FakeComfy;
  let redis: RedisServer;
  before(async () => {
    fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 2 });
    redis = await startRedis();
  });
  after(async () => {
    await fake.close();
    await redis.stop();
  });

  it('GIVEN two engine instances on one Redis THEN a window used up on one is refused on the other', async () => {
    const input = {
      backends: [{ name: 'gpu', url: fake.url }],
      storage: { redisUrl: redis.url },
      quotas: { defaults: { perWindow: 2, waiting: 5 } },
    };
    const configA = testConfig(input);
    const configB = testConfig(input);
    const a = await testApp(configA, { instanceId: 'a' });
    const b = await testApp(configB, { instanceId: 'b' });
    try {
      for (const app of [a, b]) {
        app.engine.registerFrontEnd(new RecordingFrontEnd());
        await app.engine.start();
      }
      const one = await imagine(a, 'ivy', 'one');
      const two = await imagine(a, 'ivy', 'two');
      assert.ok(one.ok && two.ok);
      const three = await imagine(b, 'ivy', 'three');
      assert.ok(!three.ok, 'the second process refuses: the window is shared');
      assert.equal(three.error.code, 'quota.refused.window');
      assert.match(b.t('en', three.error.code, three.error.params), /2/);
      const other = await imagine(b, 'jack', 'someone else');
      assert.ok(other.ok, 'another person is not affected');
      for (const id of [one.value.id, two.value.id]) assert.equal((await settled(a, id)).state, 'succeeded');
      assert.equal((await settled(b, other.value.id)).state, 'succeeded');
    } finally {
      await a.close(1000);
      await b.close(1000);
      configA.cleanup();
      configB.cleanup();
    }
  });

  it('GIVEN the embedded store THEN a used-up window is still used up after a restart', async () => {
    const config = testConfig({
      backends: [{ name: 'gpu', url: fake.url }],
      quotas: { defaults: { perWindow: 1 } },
    });
    try {
      const first = await testApp(config);
      first.engine.registerFrontEnd(new RecordingFrontEnd());
      await first.engine.start();
      const r = await imagine(first, 'kim', 'before restart');
      assert.ok(r.ok);
      await settled(first, r.value.id);
      await first.close(1000);

      const second = await testApp(config);
      second.engine.registerFrontEnd(new RecordingFrontEnd());
      await second.engine.start();
      const refused = await imagine(second, 'kim', 'after restart');
      assert.ok(!refused.ok);
      assert.equal(refused.error.code, 'quota.refused.window');
      assert.ok(Number(refused.error.params?.retryAt) > Date.now() / 1000, 'says when to try again');
      await second.close(1000);
    } finally {
      config.cleanup();
    }
  });
});
