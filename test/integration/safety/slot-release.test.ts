import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import { scoredVerdict, type SafetyVerdict } from '../../../src/core/safety/scores.ts';
import { requester, settled, waitFor } from '../../helpers/app.ts';
import { type OneGpuRelay, startOneGpuRelay } from '../../helpers/one-gpu-relay.ts';

/**
 * Screening runs after the GPU's work is done: a backend must take its next prompt while the previous
 * job's images are still being classified, or the classifier's speed would cap the GPUs'.
 */
describe('screening and the backend slot', () => {
  let relay: OneGpuRelay | undefined;
  after(() => relay?.close());

  it('GIVEN a backend that holds one job and a classifier that has not answered THEN the backend runs the next job meanwhile', async () => {
    // Each classification waits until the test lets it go: a classifier as slow as it gets.
    const held: ((v: SafetyVerdict) => void)[] = [];
    const classifier = scriptedClassifier(() => new Promise<SafetyVerdict>((r) => held.push(r)));
    relay = await startOneGpuRelay({
      stepDelayMs: 1,
      backend: { maxQueued: 1 },
      app: { safetyClassifier: classifier },
      platform: 'discord',
    });
    const { app, fe } = relay;
    const submit = async (prompt: string) => {
      const r = await app.engine.submit({
        requester: requester('alice', { platform: 'discord', communityId: 'g1' }),
        request: { template: 'sd15-txt2img', prompt, values: { steps: 2 } },
        delivery: { platform: 'discord', channelId: 'c1' },
      });
      assert.ok(r.ok, JSON.stringify(r));
      return r.value.id;
    };
    const first = await submit('a lighthouse');
    const second = await submit('a harbour');

    await waitFor(() => held.length === 1, 10_000, "the first job's image sent to the classifier");
    // The first job is still being screened, and the second one ran on the GPU to its end: its own
    // image reached the classifier too.
    await waitFor(() => held.length === 2, 10_000, 'the second job run while the first is screened');
    assert.equal((await app.engine.get(first))?.state, 'delivering');
    assert.equal(fe.deliveries.length, 0, 'nothing is delivered before it is screened');

    for (const answer of held) answer(scoredVerdict({ neutral: 1 }));
    assert.equal((await settled(app, first)).state, 'succeeded');
    assert.equal((await settled(app, second)).state, 'succeeded');
    assert.deepEqual(
      fe.deliveries.map((d) => d.result.files[0]?.safety?.action),
      ['allow', 'allow'],
    );
  });
});
