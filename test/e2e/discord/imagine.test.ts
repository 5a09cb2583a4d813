import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeAction } from '../../../src/core/chat/actions.ts';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

describe('discord /imagine end to end', () => {
  let h: Harness;
  before(async () => {
    // The clock runs 10× real time: a job of 4 s on it (8 steps of 50 ms) outlasts two of Discord's
    // 1.5 s status edits, so its progress shows.
    h = await startHarness({ comfy: { stepDelayMs: 50 }, speed: 10 });
  });
  after(() => h.close());

  it('GIVEN /imagine THEN the deferral is first, the status shows progress, and the result has images, an embed and buttons', async () => {
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'a lighthouse at dusk --steps 8', workflow: 'sd15-txt2img' },
    });
    const ack = await handle.acknowledged;
    assert.equal(ack.type, 5);
    // The result, not a status edit carrying a preview: only the result has the embed.
    await waitFor(() => (handle.original()?.embeds.length ?? 0) > 0, 15_000, 'result attached');
    const msg = handle.original()!;
    assert.equal(msg.attachments[0]?.contentType, 'image/png', 'the PNG (with metadata) fits and is kept');
    const embed = msg.embeds[0] as { description: string; fields: { name: string; value: string }[] };
    assert.equal(embed.description, 'a lighthouse at dusk');
    assert.deepEqual(
      embed.fields.map((f) => f.name),
      ['Seed', 'Workflow', 'Size', 'Steps', 'Time', 'Requested by'],
    );
    const ids = (msg.components as { components: { custom_id: string }[] }[]).flatMap((r) =>
      r.components.map((c) => c.custom_id),
    );
    const actions = ids.map((id) => decodeAction(id)?.action);
    assert.deepEqual(actions, ['upscale', 'variation', 'reroll', 'useSeed', 'delete']);
    assert.ok(
      msg.history.some((r) => /%/.test(String(r.content))),
      'a progress edit was shown',
    );
    assert.ok(
      msg.history.some((r) => JSON.stringify(r).includes('cr:c:')),
      'the status had a Cancel button',
    );
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN the workflow option THEN autocomplete answers from the templates allowed here', async () => {
    const choices = (await h.fake.autocomplete({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'x', workflow: 'sd15' },
      focused: 'workflow',
    })) as { value: string }[];
    assert.deepEqual(choices.map((c) => c.value).sort(), ['sd15-img2img', 'sd15-txt2img']);
  });
});
