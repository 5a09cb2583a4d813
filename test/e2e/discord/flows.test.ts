import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { settled, waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, pngOf, startHarness, imagineIn } from './harness.ts';

noUnhandledRejections();

const EPHEMERAL = 64;
const SD15 = 'sd15-txt2img';
const buttonIds = (m: FakeMessage | undefined) =>
  ((m?.components ?? []) as { components: { custom_id: string }[] }[]).flatMap((r) =>
    r.components.map((c) => c.custom_id),
  );
const jobIdOf = (m: FakeMessage | undefined) => buttonIds(m)[0]?.split(':')[2] ?? '';

describe('discord: inputs, limits, languages', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ comfy: { stepDelayMs: 5 }, speed: 10 });
  });
  after(() => h.close());
  const imagine = (userId: string, options: Record<string, unknown>) =>
    h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId,
      name: 'imagine',
      options: { workflow: SD15, ...options } as never,
    });

  it('GIVEN an attached image and an img2img workflow THEN the image goes to ComfyUI and the result comes back', async () => {
    const upload = h.fake.uploadAttachment('cat.png', await pngOf(64, 64), 'image/png');
    const handle = await imagine(h.alice, {
      prompt: 'make it blue',
      workflow: 'sd15-img2img',
      image: upload,
    });
    await waitFor(() => (handle.original()?.attachments.length ?? 0) > 0, 15_000, 'img2img result');
    assert.equal(h.comfy[0]!.uploads().length, 1);
    const job = await h.app.engine.get(jobIdOf(handle.original()));
    assert.equal(job?.request.template, 'sd15-img2img');
  });

  it('GIVEN --n 3 on an image template without a batch parameter THEN three jobs with seeds 41–43, each with its own message', async () => {
    const upload = h.fake.uploadAttachment('fox.png', await pngOf(64, 64), 'image/png');
    const handle = await imagine(h.alice, {
      prompt: 'a fox --steps 2 --n 3',
      workflow: 'sd15-img2img',
      seed: 41,
      image: upload,
    });
    const results = () => [handle.original(), ...handle.followups()].filter((m) => jobIdOf(m));
    await waitFor(() => results().length === 3, 15_000, 'three results');
    const jobs = await Promise.all(results().map((m) => h.app.engine.get(jobIdOf(m))));
    assert.deepEqual(jobs.map((j) => [j?.request.template, j?.seed]).sort(), [
      ['sd15-img2img', 41],
      ['sd15-img2img', 42],
      ['sd15-img2img', 43],
    ]);
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN a small attachment limit THEN the PNG is re-encoded to fit', async () => {
    h.fake.setAttachmentSizeLimit(1024);
    try {
      const handle = await imagine(h.alice, { prompt: 'a tiny thing' });
      await waitFor(() => (handle.original()?.attachments.length ?? 0) > 0, 15_000, 'fitted result');
      const file = handle.original()!.attachments[0]!;
      assert.match(file.contentType ?? '', /image\/(webp|jpeg)/);
      assert.ok(file.bytes.length <= 1024, `${file.bytes.length} bytes`);
    } finally {
      h.fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    }
  });

  it('GIVEN a zh-CN user THEN command answers and refusals are in Chinese', async () => {
    const quota = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.li,
      name: 'quota',
    });
    await waitFor(() => !!handleText(quota.original()), 5000, 'quota answer');
    assert.match(handleText(quota.original()), /[\u4e00-\u9fff]/);
    assert.equal((quota.original()!.flags & EPHEMERAL) !== 0, true);
    const bad = await imagine(h.li, { prompt: 'x --steps 999' });
    await waitFor(() => bad.followups().length > 0, 5000, 'refusal');
    assert.match(bad.followups()[0]!.content, /[\u4e00-\u9fff]/);
    assert.equal(bad.followups()[0]!.flags & EPHEMERAL, EPHEMERAL);
  });

  it('GIVEN /admin THEN a member without Manage Server is refused and an admin change is audited and applied', async () => {
    const denied = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'admin',
      options: { action: 'ban-word', target: 'dragon' },
    });
    await waitFor(() => !!handleText(denied.original()), 5000, 'denial');
    assert.match(handleText(denied.original()), /admins only/);
    const done = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.admin,
      name: 'admin',
      options: { action: 'ban-word', target: 'dragon' },
    });
    await waitFor(() => !!handleText(done.original()), 5000, 'admin answer');
    const audit = await h.app.storage.listAudit(10);
    assert.ok(
      audit.some((e) => e.action === 'policy.ban-word' && e.actor.includes(h.admin)),
      JSON.stringify(audit),
    );
    const refused = await imagine(h.alice, { prompt: 'a red dragon' });
    await waitFor(() => refused.followups().length > 0, 5000, 'banned word refusal');
    assert.match(refused.followups()[0]!.content, /dragon/);
    const registered = h.fake.registeredCommands().find((c) => c['name'] === 'admin');
    assert.equal(registered?.['default_member_permissions'], '32');
  });
});

describe('discord: quotas and other people’s buttons', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      // Jobs of 5 s (50 steps of 100 ms): the first runs all through the test, and stops soon when canceled.
      comfy: { stepDelayMs: 100 },
      config: { quotas: { defaults: { running: 1, waiting: 1, perWindow: 10 } } },
      speed: 10,
    });
  });
  after(() => h.close());
  const imagine = (userId: string, prompt: string) => imagineIn(h, userId, `${prompt} --steps 50`, SD15);

  it('GIVEN running and waiting limits THEN the second job says it waits for a running slot and the third is refused', async () => {
    const first = await imagine(h.alice, 'one');
    await waitFor(() => buttonIds(first.original()).length > 0, 5000, 'first status');
    const second = await imagine(h.alice, 'two');
    await waitFor(
      () => /Your other job is running/.test(second.original()?.content ?? ''),
      5000,
      'running-limit note',
    );
    const firstSaid = first.original()!.history.map((r) => r.content);
    assert.ok(!firstSaid.some((c) => /running;/.test(c)), `no note on a first job: ${firstSaid.join(' | ')}`);
    const third = await imagine(h.alice, 'three');
    await waitFor(() => third.followups().length > 0, 5000, 'waiting refusal');
    assert.match(third.followups()[0]!.content, /waiting/);
    assert.equal(third.followups()[0]!.flags & EPHEMERAL, EPHEMERAL);

    const cancel = buttonIds(first.original()).find((id) => id.startsWith('cr:c:'))!;
    const other = await h.fake.clickButton({
      messageId: first.original()!.id,
      customId: cancel,
      userId: h.li,
    });
    assert.equal((await other.acknowledged).type, 6);
    await waitFor(() => other.followups().length > 0, 5000, 'refusal to someone else');
    assert.match(other.followups()[0]!.content, /只有发起此任务的人/);
    assert.equal(other.followups()[0]!.flags & EPHEMERAL, EPHEMERAL);
    const id = jobIdOf(first.original());
    assert.notEqual((await h.app.engine.get(id))?.state, 'canceled');

    await h.fake.clickButton({ messageId: first.original()!.id, customId: cancel, userId: h.alice });
    assert.equal((await settled(h.app, id)).state, 'canceled');
    await waitFor(() => /Canceled/i.test(first.original()?.content ?? ''), 5000, 'canceled status');
    await h.chat.cancel(jobIdOf(second.original()), { platform: 'discord', userId: h.alice }, false);
  });
});

describe('discord: window quota', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: { quotas: { defaults: { running: 1, waiting: 1, perWindow: 1 } } },
      speed: 10,
    });
  });
  after(() => h.close());

  it('GIVEN one job per window THEN the second is refused until the window refills', async () => {
    const opts = { prompt: 'x', workflow: SD15 };
    const first = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.bob,
      name: 'imagine',
      options: opts,
    });
    await waitFor(() => (first.original()?.attachments.length ?? 0) > 0, 15_000, 'first result');
    const second = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.bob,
      name: 'imagine',
      options: opts,
    });
    await waitFor(() => second.followups().length > 0, 5000, 'window refusal');
    assert.match(second.followups()[0]!.content, /used all 1 jobs/);
  });
});

function handleText(m: FakeMessage | undefined): string {
  return m && !(m.flags & 128) ? m.content : '';
}
