import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeCloud } from '../../fakes/cloud/index.ts';
import { type SpentCloudOverflow, startSpentCloudOverflow } from '../../helpers/spent-cloud-overflow.ts';
import { botMessages, type Harness, harness, MODELS } from './harness.ts';

describe('GIVEN a busy local GPU and Comfy Cloud as overflow with its budget spent, on Telegram', () => {
  let h: Harness;
  let o: SpentCloudOverflow;
  let cloud: FakeCloud;
  before(async () => {
    o = await startSpentCloudOverflow({ models: MODELS, stepDelayMs: 5, previews: false });
    cloud = o.cloud;
    // 5× time for the app and the fake alike: the queue's checks and the status turns come 5× sooner.
    h = await harness({ speed: 5, config: o.config });
  });
  after(async () => {
    o.local.stall(false);
    await h.close();
    await o.close();
  });

  it('WHEN a third prompt cannot fit on the local GPU THEN its status names the budget limit that keeps it off the cloud, and then /quota shows it spent', async () => {
    const user = h.tg.addUser({ first_name: 'Lin', language_code: 'en' });
    for (const p of ['one', 'two', 'three'])
      await h.tg.userSends({ userId: user.id, text: `/imagine a ${p} --steps 4` });
    const told = await h.tg.waitFor(
      (f) => botMessages(f, user.id).find((m) => /Comfy Cloud jobs for today/.test(m.text ?? '')),
      { timeoutMs: 10_000 },
    );
    assert.match(told.text ?? '', /This community has used its 0 Comfy Cloud jobs for today/);
    assert.equal(cloud.stats.submits, 0, 'nothing was sent to the cloud');
    await h.tg.userSends({ userId: user.id, text: '/quota' });
    const quota = await h.tg.waitFor((f) =>
      botMessages(f, user.id).find((m) => /Cloud budget \(cloud\)/.test(m.text ?? '')),
    );
    assert.match(quota.text ?? '', /this community jobsPerDay: 0 of 0 left/);
  });
});
