import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Intents } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, startHarness, imagineIn } from './harness.ts';

noUnhandledRejections();

const EPHEMERAL = 64;
const botMessages = (h: Harness) =>
  h.fake.messages(h.channelId).filter((m) => m.authorId === h.fake.botUser.id);

describe('discord: prefix and mention messages (messageCommands.enabled)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: { discord: { messageCommands: { enabled: true } } } as never });
  });
  after(() => h.close());

  it('GIVEN the handler is enabled THEN the gateway asks for message content', () => {
    const intents = h.fake.sessions()[0]!.intents;
    assert.equal(intents & Intents.MessageContent, Intents.MessageContent);
    assert.equal(intents & Intents.GuildMessages, Intents.GuildMessages);
  });

  it('GIVEN "!imagine …" and "@bot …" with flags THEN each reply becomes the status and gets the result', async () => {
    for (const [content, mentionsBot] of [
      ['!imagine a red fox --steps 4 --ar 16:9', false],
      ['a blue fox --steps 4', true],
    ] as const) {
      const seen = new Set(botMessages(h).map((m) => m.id));
      h.fake.sendMessage({ channelId: h.channelId, userId: h.alice, content, mentionsBot });
      const status = () => botMessages(h).find((m) => !seen.has(m.id));
      await waitFor(() => (status()?.embeds.length ?? 0) > 0, 15_000, `result for ${content}`);
      assert.equal(status()!.history[0]!.content, '⏳', 'the reply was the status message');
      const job = (await h.app.engine.listForUser({ platform: 'discord', userId: h.alice }, 1))[0]!;
      assert.equal(job.request.prompt, content.includes('red') ? 'a red fox' : 'a blue fox');
      assert.equal(job.request.values.steps, 4);
      if (content.includes('16:9'))
        assert.ok(Number(job.request.values.width) > Number(job.request.values.height));
    }
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN the prefix alone or a bad flag THEN the reply explains (usage, the grammar’s refusal)', async () => {
    h.fake.sendMessage({ channelId: h.channelId, userId: h.bob, content: '!imagine' });
    await waitFor(
      () => botMessages(h).some((m) => m.content.includes('!imagine a lighthouse')),
      5000,
      'usage',
    );
    h.fake.sendMessage({ channelId: h.channelId, userId: h.bob, content: '!imagine cat --steps 999' });
    await waitFor(() => botMessages(h).some((m) => /--steps .*999/.test(m.content)), 5000, 'refusal');
  });
});

describe('discord: message handler disabled (the default)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('GIVEN messageCommands disabled THEN no message intents and "!imagine" is ignored', async () => {
    const intents = h.fake.sessions()[0]!.intents;
    assert.equal(intents & Intents.MessageContent, 0);
    h.fake.sendMessage({ channelId: h.channelId, userId: h.alice, content: '!imagine a cat' });
    h.fake.sendMessage({ channelId: h.channelId, userId: h.alice, content: 'a cat', mentionsBot: true });
    // A later interaction on the same gateway proves the messages were delivered (or gated) before it.
    const q = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'queue',
    });
    await waitFor(() => (q.original()?.content ?? '') !== '', 5000, 'queue answer');
    assert.deepEqual(
      h.fake.messages(h.channelId).filter((m) => m.authorId === h.fake.botUser.id && !m.interactionId),
      [],
    );
    assert.equal(
      await h.app.engine.listForUser({ platform: 'discord', userId: h.alice }, 5).then((j) => j.length),
      0,
    );
  });
});

describe('discord: missing permissions and private results', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  const imagine = (userId: string, prompt: string) => imagineIn(h, userId, prompt);

  it('GIVEN no Attach Files in the channel THEN the status names the missing permission in the person’s language', async () => {
    h.fake.denyAttachFiles(h.channelId);
    try {
      for (const [user, pattern] of [
        [h.alice, /Attach Files/],
        [h.li, /附加文件/],
      ] as const) {
        const handle = await imagine(user, 'a locked room --steps 4');
        await waitFor(() => pattern.test(handle.original()?.content ?? ''), 15_000, 'permission message');
        assert.equal(handle.original()!.attachments.length, 0);
      }
      const rules = h.fake.violations().map((v) => v.rule);
      assert.ok(rules.length > 0 && rules.every((r) => r === 'missing-permissions'), rules.join());
    } finally {
      h.fake.denyAttachFiles(h.channelId, false);
    }
  });

  it('GIVEN /settings private:true THEN the next /imagine is deferred ephemerally and the result stays private', async () => {
    const s = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.bob,
      name: 'settings',
      options: { private: true },
    });
    await waitFor(() => /✓/.test(s.original()?.content ?? ''), 5000, 'settings saved');
    const handle = await imagine(h.bob, 'a secret garden --steps 4');
    await handle.acknowledged;
    assert.equal(handle.original()!.flags & EPHEMERAL, EPHEMERAL, 'the deferral itself is ephemeral');
    await waitFor(() => (handle.original()?.embeds.length ?? 0) > 0, 15_000, 'private result');
  });

  it('GIVEN private results not in memory (after a restart) THEN the status moves to an ephemeral followup', async () => {
    await h.restart();
    const handle = await imagine(h.bob, 'a secret garden again --steps 4');
    await waitFor(() => (handle.followups()[0]?.embeds.length ?? 0) > 0, 15_000, 'private result');
    assert.equal(handle.followups()[0]!.flags & EPHEMERAL, EPHEMERAL);
    assert.equal(handle.original()?.deleted, true, 'the public deferral was removed');
    const again = await imagine(h.bob, 'and once more --steps 4');
    await again.acknowledged;
    assert.equal(again.original()!.flags & EPHEMERAL, EPHEMERAL, 'now known in memory');
    await waitFor(() => (again.original()?.embeds.length ?? 0) > 0, 15_000, 'private result');
  });
});
