import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
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
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  after(() => undefined);

  it('GIVEN a finished result and a restart of ComfyRelay THEN Reroll, Upscale and Delete still work', async () => {
    h = await startHarness();
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
    await waitFor(() => h!.fake.message(result.id)?.deleted === true, 5000, 'message deleted');
    const jobId = ids[0]!.split(':')[2]!;
    assert.ok((await h.app.engine.get(jobId))?.deletedAt);
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN a job longer than the 15-minute token THEN the result lands through the bot token on the same message', async () => {
    h = await startHarness({ comfy: { stepDelayMs: 80 } });
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'slow --steps 30', workflow: 'sd15-txt2img' },
    });
    await waitFor(() => /%/.test(handle.original()?.content ?? ''), 10_000, 'progress shown');
    h.fake.clock.advance(16 * 60_000);
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
    h = await startHarness({ comfy: { stepDelayMs: 80 } });
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'slow --steps 30', workflow: 'sd15-txt2img' },
    });
    await waitFor(() => /%/.test(handle.original()?.content ?? ''), 10_000, 'progress shown');
    h.fake.clock.advance(16 * 60_000);
    const original = handle.original()!;
    await fetch(`${h.fake.restUrl}/v10/channels/${h.channelId}/messages/${original.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bot ${h.fake.token}` },
    });
    await waitFor(
      () => h!.fake.messages(h!.channelId).some((m) => m.id !== original.id && hasResult(m)),
      20_000,
      'new result message',
    );
    const posted = h.fake.messages(h.channelId).find((m) => hasResult(m))!;
    const jobId = buttonIds(posted)[0]!.split(':')[2]!;
    const messageId = async () =>
      ((await h!.app.engine.get(jobId))?.delivery as DiscordTarget | undefined)?.messageId;
    // The new message's id is stored once Discord answered the post, a moment after it shows.
    await waitFor(async () => (await messageId()) === posted.id, 5000, 'the new message stored').catch(
      () => {},
    );
    assert.equal(await messageId(), posted.id);
  });

  it('GIVEN a 429 storm during progress THEN edits stay coalesced and the result is delivered', async () => {
    h = await startHarness({ comfy: { stepDelayMs: 100 } });
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'storm --steps 40', workflow: 'sd15-txt2img' },
    });
    await waitFor(() => /%/.test(handle.original()?.content ?? ''), 10_000, 'progress shown');
    h.fake.inject429({ route: /\/messages\//, method: 'PATCH', times: 4, retryAfterSec: 1 });
    await waitFor(() => hasResult(handle.original()), 30_000, 'result after the storm');
    assert.ok(h.fake.rateLimitHits().length >= 1);
    const stats = h.fake.editStats().find((s) => s.messageId === handle.original()!.id)!;
    assert.ok(stats.maxEditsPerSecond <= 2, JSON.stringify(stats));
    assert.deepEqual(h.fake.violations(Rules.retryTooEarly), []);
  });
});
