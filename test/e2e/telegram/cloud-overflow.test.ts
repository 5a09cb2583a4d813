import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { CLOUD_KEY } from '../../integration/comfy/v2-helpers.ts';
import { botMessages, type Harness, harness, MODELS } from './harness.ts';

describe('GIVEN a busy local GPU and Comfy Cloud as overflow with its budget spent, on Telegram', () => {
  let h: Harness;
  let local: FakeComfy;
  let cloud: FakeCloud;
  before(async () => {
    local = await startFakeComfy({ models: MODELS, stepDelayMs: 5, previews: false });
    local.stall(true);
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY });
    // 5× time for the app and the fake alike: the queue's checks and the status turns come 5× sooner.
    h = await harness({
      speed: 5,
      config: {
        backends: [
          { name: 'home', url: local.url },
          {
            name: 'cloud',
            kind: 'comfy-api-v2',
            url: cloud.url,
            apiKey: CLOUD_KEY,
            overflow: { afterWaitSeconds: 0 },
            budget: { perCommunity: { jobsPerDay: 0 } },
          },
        ] as never,
        quotas: { defaults: { running: 5, waiting: 5 } },
      },
    });
  });
  after(async () => {
    local.stall(false);
    await h.close();
    await cloud.close();
    await local.close();
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
