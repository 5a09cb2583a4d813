import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../../commands/admin.ts';
import type { CommandContext, CommandReply } from '../../../commands/types.ts';
import type { App } from '../../../src/core/app.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import { say } from '../../../src/shared/i18n.ts';
import { requester, settled } from '../../helpers/app.ts';
import { type OneGpuRelay, startOneGpuRelay } from '../../helpers/one-gpu-relay.ts';

describe('/admin safety', () => {
  let relay: OneGpuRelay;
  let app: App;
  let chat: ReturnType<typeof relayPorts>['chat'];

  before(async () => {
    relay = await startOneGpuRelay({
      stepDelayMs: 1,
      app: { safetyClassifier: scriptedClassifier({ porn: 0.9 }) },
      platform: 'discord',
    });
    app = relay.app;
    chat = relayPorts(app).chat;
  });
  after(() => relay.close());

  const run = (
    text: string,
    o: { isAdmin?: boolean; channelId?: string; community?: string; nsfw?: boolean } = {},
  ) =>
    admin.run({
      chat,
      requester: requester(o.isAdmin === false ? 'mallory' : 'mod', {
        platform: 'discord',
        communityId: o.community ?? 'g1',
      }),
      place: {
        communityId: o.community ?? 'g1',
        channelId: o.channelId ?? 'c1',
        nsfwAllowed: o.nsfw ?? false,
      },
      locale: 'en',
      isAdmin: o.isAdmin ?? true,
      options: {},
      text,
      delivery: { platform: 'discord' },
    } satisfies CommandContext);

  const textOf = (r: CommandReply) => {
    if (r.kind === 'error') return say('en', r.message);
    assert.equal(r.kind, 'text');
    return r.kind === 'text' ? r.messages.map((m) => say('en', m)).join('\n') : '';
  };
  const policyAudits = async () =>
    (await app.storage.listAudit(100)).filter((e) => e.action === 'safety.policy');

  it('GIVEN a person who is not an admin THEN the change is refused and nothing is audited', async () => {
    const r = await run('safety community block', { isAdmin: false });
    assert.equal(r.kind, 'error');
    assert.match(textOf(r), /admins only/);
    assert.equal((await chat.policies.get('discord', 'g1')).safety, undefined);
    assert.equal((await policyAudits()).length, 0);
  });

  it('GIVEN the defaults THEN show says blur in an ordinary channel and allow in an age-restricted one', async () => {
    assert.match(
      textOf(await run('safety show')),
      /ordinary place\): blur for unsafe images.*previews blurred/,
    );
    assert.match(
      textOf(await run('safety show', { nsfw: true })),
      /age-restricted place\): allow.*previews allowed/,
    );
  });

  it('GIVEN an admin sets the channel and the community THEN the policy in force changes and each change is audited with before and after', async () => {
    assert.match(textOf(await run('safety community spoiler')), /changed: community spoiler/);
    assert.match(textOf(await run('safety channel block')), /ordinary place\): block.*previews off/);
    assert.match(textOf(await run('safety show', { channelId: 'c2' })), /spoiler for unsafe images/);
    assert.match(textOf(await run('safety thresholds explicit=0.7')), /explicit 0.7, suggestive 0.8/);
    assert.deepEqual((await chat.policies.get('discord', 'g1')).safety, {
      action: 'spoiler',
      channels: { c1: 'block' },
      thresholds: { explicit: 0.7 },
    });
    const audits = await policyAudits();
    assert.equal(audits.length, 3);
    const channel = audits.find((e) => e.target === 'discord:g1/c1');
    assert.equal(channel?.actor, 'discord:mod');
    assert.deepEqual(channel?.details, {
      before: { action: 'spoiler' },
      after: { action: 'spoiler', channels: { c1: 'block' } },
    });
    await run('safety channel default');
    await run('safety community default');
    await run('safety thresholds default');
    assert.deepEqual((await chat.policies.get('discord', 'g1')).safety, { channels: {} });
  });

  it('GIVEN a chat marked adult THEN unsafe images are allowed there; a malformed value is refused', async () => {
    assert.match(textOf(await run('safety adult on', { community: 'g2' })), /age-restricted place\): allow/);
    assert.equal(textOf(await run('safety channel purple', { community: 'g2' })).startsWith('Usage'), true);
    assert.equal(
      textOf(await run('safety thresholds explicit=2', { community: 'g2' })).startsWith('Usage'),
      true,
    );
  });

  it("GIVEN blurred images THEN review lists this community's decisions and the original goes to the admin only, audited", async () => {
    const submit = async (community: string) => {
      const s = await app.engine.submit({
        requester: requester('alice', { platform: 'discord', communityId: community }),
        request: { template: 'sd15-txt2img', prompt: 'a lighthouse', values: { steps: 2 } },
        delivery: { platform: 'discord', channelId: 'c5' },
      });
      assert.ok(s.ok);
      return settled(app, s.value.id);
    };
    const mine = await submit('g3');
    const theirs = await submit('g4');
    const review = textOf(await run('safety review', { community: 'g3' }));
    assert.match(review, new RegExp(`job ${mine.id} #0 · blur \\(explicit\\) · #c5 · .*porn 0.90`));
    assert.doesNotMatch(review, new RegExp(theirs.id));
    const original = await run(`safety original ${mine.id}#0`, { community: 'g3' });
    assert.ok(original.kind === 'text' && original.private && original.original?.job.id === mine.id);
    assert.equal(original.original?.output, 0);
    // Read again (the admin's original, /show): the original bytes, with the stored decision beside them.
    const read = await relayPorts(app).results.read(original.original!.job);
    assert.ok(read.ok);
    const file = read.value.files[0]!;
    assert.equal(file.safety?.action, 'blur');
    assert.equal(file.bytes.subarray(1, 4).toString(), 'PNG');
    assert.equal(file.safety?.blurred?.mime, 'image/jpeg');
    assert.equal((await run(`safety original ${theirs.id}#0`, { community: 'g3' })).kind, 'error');
    const seen = (await app.storage.listAudit(100)).filter((e) => e.action === 'safety.original');
    assert.deepEqual(
      seen.map((e) => [e.actor, e.target]),
      [['discord:mod', `${mine.id}#0`]],
    );
  });
});
