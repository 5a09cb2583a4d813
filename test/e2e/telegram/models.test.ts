import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeUser, StoredMessage } from '../../fakes/telegram/state.ts';
import { botMessages, buttonsOf, type Harness, harness, MODELS } from './harness.ts';

type Node = { class_type: string; inputs: Record<string, unknown> };

describe('GIVEN a ComfyUI with several SD 1.5 checkpoints installed', () => {
  let h: Harness;
  let user: FakeUser;
  let panel: StoredMessage;
  before(async () => {
    const checkpoints = [
      ...MODELS.checkpoints,
      'dreamshaper_8.safetensors',
      'realisticVision_v51.safetensors',
    ];
    h = await harness({ comfy: { models: { ...MODELS, checkpoints } } });
    user = h.tg.addUser({ first_name: 'Mo' });
  });
  after(() => h.close());

  const prompts = () => h.comfy.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path));
  /** Sends a prompt in the private chat and returns the checkpoint ComfyUI was asked to load. */
  const checkpointFor = async (text: string): Promise<unknown> => {
    const photos = botMessages(h.tg, user.id).filter((m) => m.photo).length;
    const before = prompts().length;
    await h.tg.userSends({ userId: user.id, text });
    await h.tg.waitFor((f) => botMessages(f, user.id).filter((m) => m.photo)[photos], { timeoutMs: 15_000 });
    const graph = (prompts()[before]!.json as { prompt: Record<string, Node> }).prompt;
    return Object.values(graph).find((n) => n.class_type === 'CheckpointLoaderSimple')?.inputs.ckpt_name;
  };
  const press = async (data: string) => {
    const edits = h.tg.message(user.id, panel.message_id)!.edits.length;
    h.tg.pressButton({ chatId: user.id, messageId: panel.message_id, userId: user.id, data });
    await h.tg.waitFor((f) =>
      f.message(user.id, panel.message_id)!.edits.length > edits ? true : undefined,
    );
    return h.tg.message(user.id, panel.message_id)!;
  };

  it('THEN /settings offers the installed checkpoints of the workflow in force, and one back to its own', async () => {
    await h.tg.userSends({ userId: user.id, text: '/settings' });
    panel = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => buttonsOf(m).length > 0));
    const data = buttonsOf(panel).map((b) => b.callback_data);
    for (const file of ['dreamshaper_8.safetensors', 'realisticVision_v51.safetensors', 'default'])
      assert.ok(data.includes(`cs:m:${file}`), data.join(' '));
    assert.ok(
      buttonsOf(panel).some((b) => b.text === 'dreamshaper_8'),
      'labelled without the extension',
    );
  });

  it('WHEN a model is pressed THEN it is ticked, shown, and plain prompts use it until a typed --model or "default"', async () => {
    const after = await press('cs:m:dreamshaper_8.safetensors');
    assert.match(after.text ?? '', /Model for sd15-txt2img: dreamshaper_8\.safetensors/);
    assert.ok(buttonsOf(after).some((b) => b.text === '✓ dreamshaper_8'));
    assert.equal(await checkpointFor('a lighthouse'), 'dreamshaper_8.safetensors');
    assert.equal(
      await checkpointFor('a lighthouse --model realisticVision_v51'),
      'realisticVision_v51.safetensors',
    );
    await press('cs:m:default');
    assert.equal(await checkpointFor('a lighthouse'), 'v1-5-pruned-emaonly.safetensors');
  });

  it('WHEN /settings names a model that is not installed THEN it says so and saves nothing', async () => {
    await h.tg.userSends({ userId: user.id, text: '/settings model:juggernautXL_v9' });
    const reply = await h.tg.waitFor((f) =>
      botMessages(f, user.id).find((m) => /juggernaut/.test(m.text ?? '')),
    );
    assert.match(reply.text ?? '', /juggernautXL_v9 is not a model you can choose for sd15-txt2img/);
    assert.equal(await checkpointFor('a lighthouse'), 'v1-5-pruned-emaonly.safetensors');
  });
});
