import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeCloud } from '../../fakes/cloud/index.ts';
import { waitFor } from '../../helpers/app.ts';
import { type SpentCloudOverflow, startSpentCloudOverflow } from '../../helpers/spent-cloud-overflow.ts';
import { type Harness, MODELS, noUnhandledRejections, startHarness, imagineIn } from './harness.ts';

noUnhandledRejections();

describe('discord: a busy local GPU and Comfy Cloud as overflow with its budget spent', () => {
  let h: Harness;
  let o: SpentCloudOverflow;
  let cloud: FakeCloud;
  before(async () => {
    o = await startSpentCloudOverflow({ models: MODELS, stepDelayMs: 5 });
    cloud = o.cloud;
    h = await startHarness({ backends: 0, config: o.config, speed: 10 });
  });
  after(async () => {
    o.local.stall(false);
    await h.close();
    await o.close();
  });

  const imagine = (userId: string, prompt: string) => imagineIn(h, userId, `${prompt} --steps 4`);

  it('WHEN a prompt cannot fit on the local GPU THEN its waiting status names the budget limit that keeps it off the cloud, in the person’s language', async () => {
    // Two fill the local GPU (one running, one queued on it); which two is the order Discord delivers them in.
    const sent = [
      await imagine(h.alice, 'one'),
      await imagine(h.alice, 'two'),
      await imagine(h.alice, 'three'),
    ];
    const noted = () => sent.find((m) => /Comfy Cloud jobs for today/.test(m.original()?.content ?? ''));
    await waitFor(() => noted() !== undefined, 10_000, 'the budget note under the waiting status');
    assert.match(noted()!.original()!.content, /Waiting in line: #1/);
    assert.match(noted()!.original()!.content, /This community has used its 0 Comfy Cloud jobs for today/);
    const fourth = await imagine(h.li, 'four');
    await waitFor(
      () => /Comfy Cloud 任务已用完/.test(fourth.original()?.content ?? ''),
      10_000,
      'the note in Chinese',
    );
    assert.match(fourth.original()!.content, /本社区今天的 0 个 Comfy Cloud 任务已用完/);
    assert.equal(cloud.stats.submits, 0, 'nothing was sent to the cloud');
  });
});
