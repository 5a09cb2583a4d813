import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeUser, StoredMessage } from '../../fakes/telegram/state.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

type Node = { class_type: string; inputs: Record<string, unknown> };

describe('GIVEN /settings with its inline keyboard', () => {
  let h: Harness;
  let user: FakeUser;
  let panel: StoredMessage;
  before(async () => {
    h = await harness();
    user = h.tg.addUser({ first_name: 'Sol' });
  });
  after(() => h.close());

  /** The graph of the n-th prompt ComfyUI received, by class_type. */
  const promptNodes = (n: number): Node[] => {
    const posts = h.comfy.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path));
    const graph = (posts[n]?.json as { prompt?: Record<string, Node> } | undefined)?.prompt ?? {};
    return Object.values(graph);
  };
  const press = async (data: string) => {
    const before = h.tg.message(user.id, panel.message_id)!.edits.length;
    const query = h.tg.pressButton({ chatId: user.id, messageId: panel.message_id, userId: user.id, data });
    await h.tg.waitFor((f) =>
      f.message(user.id, panel.message_id)!.edits.length > before ? true : undefined,
    );
    const answer = h.tg.callbackAnswers().find((a) => a.id === query);
    assert.ok(answer && answer.answer.text === undefined, 'answered, without an alert');
    return h.tg.message(user.id, panel.message_id)!.text ?? '';
  };

  it('THEN the keyboard offers aspects, workflows, steps and private results, each within 64 bytes', async () => {
    await h.tg.userSends({ userId: user.id, text: '/settings' });
    panel = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => buttonsOf(m).length > 0));
    const data = buttonsOf(panel).map((b) => b.callback_data);
    for (const d of data) assert.ok(Buffer.byteLength(d) <= 64, d);
    for (const d of ['cs:a:16:9', 'cs:w:sd15-txt2img', 'cs:s:10', 'cs:p:1', 'cs:p:0'])
      assert.ok(data.includes(d), `${d} in ${data.join(' ')}`);
    assert.ok(!data.some((d) => d.startsWith('cs:w:') && /img2img|upscale/.test(d)), 'no image-input flows');
  });

  it('WHEN aspect, workflow and steps are pressed THEN the panel shows them and the next /imagine uses them', async () => {
    assert.match(await press('cs:a:16:9'), /16:9/);
    assert.match(await press('cs:w:sd15-txt2img'), /sd15-txt2img/);
    const shown = await press('cs:s:10');
    assert.match(shown, /saved/);
    assert.match(shown, /16:9[\s\S]*10|10[\s\S]*16:9/);

    const before = h.comfy.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path)).length;
    await h.tg.userSends({ userId: user.id, text: 'a windmill at noon' });
    const photo = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), {
      timeoutMs: 15_000,
    });
    assert.match(photo.caption ?? '', /sd15-txt2img/);
    const nodes = promptNodes(before);
    const sampler = nodes.find((n) => n.class_type === 'KSampler');
    const latent = nodes.find((n) => n.class_type === 'EmptyLatentImage');
    assert.equal(sampler?.inputs.steps, 10);
    assert.ok(Number(latent?.inputs.width) > Number(latent?.inputs.height), JSON.stringify(latent?.inputs));
  });

  it('WHEN private results are on THEN a prompt in a group is answered in the private chat only', async () => {
    assert.match(await press('cs:p:1'), /✓/);
    const group = Number(h.tg.addChat({ type: 'supergroup', title: 'Open studio' }).id);
    h.tg.setAdmin(group, h.tg.botInfo.id);
    const already = botMessages(h.tg, user.id).filter((m) => m.photo).length;
    await h.tg.userSends({ chatId: group, userId: user.id, text: '/imagine a secret garden' });
    const photo = await h.tg.waitFor((f) => botMessages(f, user.id).filter((m) => m.photo)[already], {
      timeoutMs: 15_000,
    });
    assert.match(photo.caption ?? '', /a secret garden/);
    assert.deepEqual(botMessages(h.tg, group), [], 'nothing in the group');

    assert.match(await press('cs:p:0'), /✗/);
    await h.tg.userSends({ chatId: group, userId: user.id, text: '/imagine an open garden' });
    await h.tg.waitFor((f) => botMessages(f, group).find((m) => m.photo), { timeoutMs: 15_000 });
    assert.deepEqual(broken(h.tg), []);
  });
});
