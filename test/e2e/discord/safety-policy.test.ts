import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import { imagineResult } from './imagine-result.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

const labels = (m: FakeMessage) =>
  (m.components as { components: { label: string }[] }[]).flatMap((r) => r.components.map((c) => c.label));

describe('discord: the core safety stage with every image judged explicit (default policy)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      comfy: { stepDelayMs: 5 },
      app: { safetyClassifier: scriptedClassifier({ porn: 0.95, neutral: 0.05 }) },
    });
  });
  after(() => h.close());
  const imagine = (channelId: string) =>
    imagineResult(h, { prompt: 'a harbour --steps 2', workflow: 'sd15-txt2img' }, channelId);
  const show = async (job: string, channelId: string) => {
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId,
      userId: h.alice,
      name: 'show',
      options: { job },
    });
    await waitFor(() => (handle.original()?.attachments.length ?? 0) > 0, 10_000, '/show');
    return handle.original()!;
  };
  const jobIdOf = (m: FakeMessage) => /"cr:r:([0-9a-z]{10})"/.exec(JSON.stringify(m.components))![1]!;

  it('GIVEN an ordinary channel THEN a blurred JPEG stand-in is posted with "Show original"', async () => {
    const msg = await imagine(h.channelId);
    assert.equal(msg.attachments.length, 1);
    assert.equal(msg.attachments[0]!.contentType, 'image/jpeg');
    assert.match(msg.attachments[0]!.filename, /^blurred_/);
    assert.ok(labels(msg).includes('Show original'), labels(msg).join(', '));
    assert.deepEqual(h.fake.violations(), []);

    // Shown again: the stored decision applies (no image is classified or stored a second time).
    const jobId = /"cr:r:([0-9a-z]{10})"/.exec(JSON.stringify(msg.components))![1]!;
    const show = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'show',
      options: { job: jobId },
    });
    await waitFor(() => (show.original()?.attachments.length ?? 0) > 0, 10_000, '/show');
    assert.match(show.original()!.attachments[0]!.filename, /^blurred_/);
    assert.equal(show.original()!.attachments[0]!.contentType, 'image/jpeg');
  });

  it('GIVEN an age-restricted channel THEN the same image is posted plainly', async () => {
    const msg = await imagine(h.nsfwChannelId);
    assert.equal(msg.attachments.length, 1);
    assert.equal(msg.attachments[0]!.contentType, 'image/png');
    assert.doesNotMatch(msg.attachments[0]!.filename, /^(SPOILER_|blurred_)/);
    assert.equal(msg.content, '');
    assert.ok(!labels(msg).includes('Show original'));
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN /show of an image blurred in an ordinary channel, in an age-restricted one THEN that place decides: posted plainly', async () => {
    const blurred = await imagine(h.channelId);
    assert.match(blurred.attachments[0]!.filename, /^blurred_/);
    const shown = await show(jobIdOf(blurred), h.nsfwChannelId);
    assert.equal(shown.attachments[0]!.contentType, 'image/png');
    assert.doesNotMatch(shown.attachments[0]!.filename, /^(SPOILER_|blurred_)/);
    assert.ok(!labels(shown).includes('Show original'));
  });

  it('GIVEN /show of an image posted plainly in an age-restricted channel, in an ordinary one THEN it is blurred there', async () => {
    const plain = await imagine(h.nsfwChannelId);
    assert.equal(plain.attachments[0]!.contentType, 'image/png');
    const shown = await show(jobIdOf(plain), h.channelId);
    assert.match(shown.attachments[0]!.filename, /^blurred_/);
    assert.equal(shown.attachments[0]!.contentType, 'image/jpeg');
    assert.ok(labels(shown).includes('Show original'), labels(shown).join(', '));
    assert.deepEqual(h.fake.violations(), []);
  });
});
