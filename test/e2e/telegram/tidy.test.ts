import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeAction } from '../../../src/core/chat/actions.ts';
import { solidPng } from '../../fakes/telegram/images.ts';
import type { FakeUser, StoredMessage } from '../../fakes/telegram/state.ts';
import { WORKFLOWS_DIR } from '../../helpers/app.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

describe('GIVEN a group on a server without an upscaler, SDXL or FLUX', () => {
  let h: Harness;
  let group: number;
  let ann: FakeUser;
  let ben: FakeUser;
  let result: StoredMessage;
  before(async () => {
    h = await harness({
      comfy: { previews: true, models: { checkpoints: ['v1-5-pruned-emaonly.safetensors'] } },
      config: { workflowsDir: WORKFLOWS_DIR },
    });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Tidy' }).id);
    h.tg.setAdmin(group, h.tg.botInfo.id);
    ann = h.tg.addUser({ first_name: 'Ann' });
    ben = h.tg.addUser({ first_name: 'Ben' });
  });
  after(() => h.close());
  const press = (by: FakeUser, on: StoredMessage, label: RegExp) =>
    h.tg.pressButton({
      chatId: group,
      messageId: on.message_id,
      userId: by.id,
      data: buttonsOf(on).find((b) => label.test(b.text))!.callback_data,
    });

  it('WHEN a job ends THEN the group holds only its result: no status, no preview, no "Done"', async () => {
    await h.tg.userSends({ chatId: group, userId: ann.id, text: '/imagine two lanterns --steps 6 --n 2' });
    result = await h.tg.waitFor(
      (f) => botMessages(f, group).find((m) => m.text && buttonsOf(m).some((b) => /Reroll/.test(b.text))),
      { timeoutMs: 15_000 },
    );
    await h.tg.waitFor((f) => (botMessages(f, group).length === 3 ? true : undefined), { timeoutMs: 5000 });
    const shown = botMessages(h.tg, group).map((m) => (m.photo ? 'photo' : 'buttons'));
    assert.deepEqual(shown, ['photo', 'photo', 'buttons']);
    const gone = h.tg
      .messages(group, { includeDeleted: true })
      .filter((m) => m.sender === 'bot' && m.deletedAt);
    assert.equal(gone.length, 1, 'the status was there while it ran, and went');
    assert.match(gone[0]!.text ?? gone[0]!.caption ?? '', /two lanterns/);
    // It started at once: the group read so at once, not "waiting" for the group's 3-second edit interval.
    assert.match(gone[0]!.edits[0]?.text ?? '', /Starting…/);
    const labels = buttonsOf(result).map((b) => b.text);
    assert.deepEqual(
      labels.filter((l) => /^[UV]\d$/.test(l)),
      ['V1', 'V2'],
      'V as on Discord, no U here',
    );
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN another member presses Use seed THEN only they read it, in an alert; nothing is posted', async () => {
    const before = botMessages(h.tg, group).length;
    const query = press(ben, result, /Use seed/);
    const answer = await h.tg.waitFor((f) => f.callbackAnswers().find((a) => a.id === query));
    assert.equal(answer.answer.show_alert, true);
    assert.match(answer.answer.text ?? '', /--seed \d+/);
    assert.equal(botMessages(h.tg, group).length, before);
  });

  it('WHEN V1 is pressed THEN the variation says what it came from, and Delete removes every message of the job', async () => {
    const source = decodeAction(buttonsOf(result)[0]!.callback_data)!.jobId;
    press(ann, result, /^V1$/);
    const variation = await h.tg.waitFor(
      (f) => botMessages(f, group).find((m) => m.photo && /^Variation 1 of job/.test(m.caption ?? '')),
      { timeoutMs: 15_000 },
    );
    assert.match(variation.caption ?? '', new RegExp(`^Variation 1 of job ${source}\\ntwo lanterns`));
    press(ann, result, /Delete/);
    await h.tg.waitFor((f) => (botMessages(f, group).length === 1 ? true : undefined), { timeoutMs: 5000 });
    assert.equal(botMessages(h.tg, group)[0]?.message_id, variation.message_id, 'only the variation stays');
  });

  it('WHEN /imagine has no prompt THEN the answer has no markdown marks', async () => {
    await h.tg.userSends({ chatId: group, userId: ben.id, text: '/imagine' });
    const answer = await h.tg.waitFor((f) =>
      botMessages(f, group).find((m) => /describe/.test(m.text ?? '')),
    );
    assert.equal(
      answer.text,
      'Please describe what to draw, for example: /imagine a lighthouse at dusk --ar 16:9',
    );
  });

  it('WHEN a photo comes alone, or with a workflow that takes none THEN the person is told, not ignored', async () => {
    const png = await solidPng(64, 64);
    await h.tg.userSends({ userId: ann.id, photo: png });
    await h.tg.waitFor((f) => botMessages(f, ann.id).find((m) => /Got your photo/.test(m.text ?? '')));
    await h.tg.userSends({ userId: ann.id, photo: png, caption: 'a cat --workflow sd15-txt2img' });
    const told = await h.tg.waitFor((f) =>
      botMessages(f, ann.id).find((m) => /takes no input image/.test(m.text ?? '')),
    );
    assert.match(told.text ?? '', /sd15-txt2img/);
  });

  it('WHEN /settings is opened THEN it offers only workflows that can run, and a way back to the default', async () => {
    await h.tg.userSends({ userId: ben.id, text: '/settings workflow:sd15-txt2img' });
    await h.tg.waitFor((f) =>
      botMessages(f, ben.id).find((m) => /Workflow: sd15-txt2img/.test(m.text ?? '')),
    );
    await h.tg.userSends({ userId: ben.id, text: '/settings' });
    const panel = await h.tg.waitFor((f) => botMessages(f, ben.id).find((m) => buttonsOf(m).length > 0));
    const flows = buttonsOf(panel).filter((b) => b.callback_data.startsWith('cs:w:'));
    assert.deepEqual(
      flows.map((b) => b.callback_data),
      ['cs:w:sd15-txt2img', 'cs:w:default'],
    );
    h.tg.pressButton({ chatId: ben.id, messageId: panel.message_id, userId: ben.id, data: 'cs:w:default' });
    await h.tg.waitFor((f) =>
      /Workflow: default/.test(f.message(ben.id, panel.message_id)?.text ?? '') ? true : undefined,
    );
  });

  it('WHEN a Chinese-speaking member asks /quota THEN the built-in tier name is in Chinese', async () => {
    const li = h.tg.addUser({ first_name: 'Li', language_code: 'zh-hans' });
    await h.tg.userSends({ userId: li.id, text: '/quota' });
    const quota = await h.tg.waitFor((f) => botMessages(f, li.id).find((m) => /等级/.test(m.text ?? '')));
    assert.match(quota.text ?? '', /^等级 默认：/);
  });
});
