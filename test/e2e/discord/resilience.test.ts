import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DiscordTarget } from '../../../src/adapters/discord/front-end.ts';
import { Rules } from '../../fakes/discord/fake-discord.ts';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { settled, waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

const buttonIds = (m: FakeMessage | undefined) =>
  ((m?.components ?? []) as { components: { custom_id: string }[] }[]).flatMap((r) =>
    r.components.map((c) => c.custom_id),
  );
const hasResult = (m: FakeMessage | undefined) =>
  (m?.attachments.length ?? 0) > 0 && buttonIds(m).some((id) => id.startsWith('cr:r:'));

describe('discord: restarts, expired tokens, rate limits', () => {
  let h: Harness;
  // One relay for the file, its clock 10× real time: Discord's 1.5 s status pacing takes 150 ms.
  before(async () => {
    h = await startHarness({ speed: 10 });
  });
  after(() => h.close());

  /**
   * Sends a slow /imagine and holds its job on the GPU once its progress shows, so whatever the test does
   * next (expire the token, delete the message, start a 429 storm) happens while it runs; `release` lets
   * it finish, its remaining steps `stepMs` apart.
   */
  const heldJob = async (prompt: string) => {
    const comfy = h.comfy[0]!;
    comfy.setStepDelay(150);
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt, workflow: 'sd15-txt2img' },
    });
    await waitFor(() => /%/.test(handle.original()?.content ?? ''), 10_000, 'progress shown');
    comfy.stall(true);
    assert.ok(!hasResult(handle.original()), 'the job is still running');
    return {
      handle,
      release(stepMs: number) {
        comfy.setStepDelay(stepMs);
        comfy.stall(false);
      },
    };
  };

  it('GIVEN a finished result and a restart of ComfyRelay THEN Reroll, Upscale and Delete still work', async () => {
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'a fox', workflow: 'sd15-txt2img' },
    });
    await waitFor(() => hasResult(handle.original()), 15_000, 'first result');
    const result = handle.original()!;
    await h.restart();

    const ids = buttonIds(result);
    const reroll = await h.fake.clickButton({
      messageId: result.id,
      customId: ids.find((id) => id.startsWith('cr:r:'))!,
      userId: h.alice,
    });
    assert.equal((await reroll.acknowledged).type, 6);
    await waitFor(() => hasResult(reroll.followups()[0]), 15_000, 'reroll result in a followup');

    const upscale = await h.fake.clickButton({
      messageId: result.id,
      customId: ids.find((id) => id.startsWith('cr:u:'))!,
      userId: h.alice,
    });
    await waitFor(() => hasResult(upscale.followups()[0]), 15_000, 'upscale result in a followup');
    const upscaled = await h.app.engine.get(buttonIds(upscale.followups()[0])[0]!.split(':')[2]!);
    assert.equal(upscaled?.request.template, 'upscale-4x');

    const del = await h.fake.clickButton({
      messageId: result.id,
      customId: ids.find((id) => id.startsWith('cr:d:'))!,
      userId: h.alice,
    });
    await del.acknowledged;
    await waitFor(() => h.fake.message(result.id)?.deleted === true, 5000, 'message deleted');
    const jobId = ids[0]!.split(':')[2]!;
    assert.ok((await h.app.engine.get(jobId))?.deletedAt);
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN a job longer than the 15-minute token THEN the result lands through the bot token on the same message', async () => {
    const { handle, release } = await heldJob('slow --steps 30');
    h.fake.clock.advance(16 * 60_000);
    release(5);
    await waitFor(() => hasResult(handle.original()), 20_000, 'result after token expiry');
    const job = await settled(h.app, buttonIds(handle.original())[0]!.split(':')[2]!);
    assert.equal(job.state, 'succeeded');
    assert.equal((job.delivery as DiscordTarget).viaChannel, true);
    assert.ok(
      handle.original()!.history.some((r) => r.via.startsWith('PATCH channel')),
      JSON.stringify(handle.original()!.history.map((r) => r.via)),
    );
    assert.deepEqual(
      h.fake.violations().filter((v) => v.rule !== Rules.invalidWebhookToken),
      [],
    );
  });

  it('GIVEN the status message is gone after the token expired THEN the result is posted as a new message', async () => {
    const { handle, release } = await heldJob('slow --steps 30');
    h.fake.clock.advance(16 * 60_000);
    const original = handle.original()!;
    await fetch(`${h.fake.restUrl}/v10/channels/${h.channelId}/messages/${original.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bot ${h.fake.token}` },
    });
    release(5);
    const jobId = buttonIds(original)
      .find((id) => id.startsWith('cr:c:'))!
      .split(':')[2]!;
    const resultOfJob = (m: FakeMessage) =>
      m.id !== original.id && hasResult(m) && buttonIds(m)[0]!.split(':')[2] === jobId;
    await waitFor(() => h.fake.messages(h.channelId).some(resultOfJob), 20_000, 'new result message');
    const posted = h.fake.messages(h.channelId).find(resultOfJob)!;
    const messageId = async () =>
      ((await h.app.engine.get(jobId))?.delivery as DiscordTarget | undefined)?.messageId;
    // The new message's id is stored once Discord answered the post, a moment after it shows.
    await waitFor(async () => (await messageId()) === posted.id, 5000, 'the new message stored').catch(
      () => {},
    );
    assert.equal(await messageId(), posted.id);
  });

  it('GIVEN a 429 storm during progress THEN edits stay coalesced and the result is delivered', async () => {
    const { handle, release } = await heldJob('storm --steps 40');
    h.fake.inject429({ route: /\/messages\//, method: 'PATCH', times: 4, retryAfterSec: 1 });
    // Progress goes on through the storm (about 4 s of real Retry-After): dozens of states to coalesce.
    release(100);
    await waitFor(() => hasResult(handle.original()), 30_000, 'result after the storm');
    assert.ok(h.fake.rateLimitHits().length >= 1);
    const stats = h.fake.editStats().find((s) => s.messageId === handle.original()!.id)!;
    assert.ok(stats.maxEditsPerSecond <= 2, JSON.stringify(stats));
    assert.deepEqual(h.fake.violations(Rules.retryTooEarly), []);
  });
});
