import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { solidPng } from '../../fakes/telegram/images.ts';
import { settled } from '../../helpers/app.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

describe('GIVEN ComfyRelay on Telegram (real telegraf, fake Bot API, fake ComfyUI)', () => {
  let h: Harness;
  before(async () => {
    // 20× time for the app and the fake alike: pacing and retry_after pass 20× faster, measured in that time.
    h = await harness({ comfy: { stepDelayMs: 5 }, speed: 20 });
  });
  after(() => h.close());

  it('THEN the commands are published in English and Chinese, /admin only for chat admins', () => {
    const sets = h.tg.commands();
    const find = (lang: string | undefined, scope: string) =>
      sets.find(
        (s) => (s.language_code || undefined) === lang && (s.scope as { type: string }).type === scope,
      );
    const en = find(undefined, 'default');
    const zh = find('zh', 'default');
    assert.ok(en && zh, JSON.stringify(sets));
    assert.ok(en.commands.some((c) => c.command === 'imagine' && /Generate/.test(c.description)));
    assert.ok(zh.commands.some((c) => c.command === 'imagine' && c.description === '根据提示词生成图片'));
    assert.ok(!en.commands.some((c) => c.command === 'admin'));
    assert.ok(find(undefined, 'all_chat_administrators')?.commands.some((c) => c.command === 'admin'));
  });

  it('WHEN a private chat gets a plain prompt THEN a status reply with Cancel, progress edits, then one photo with caption and buttons', async () => {
    const user = h.tg.addUser({ first_name: 'Ada', language_code: 'en' });
    // 50 steps × 5 ms × 20 = 5 s of clock time: several 1 s turns of progress edits.
    h.comfy.setStepDelay(5);
    const sent = await h.tg.userSends({ userId: user.id, text: 'a red fox in the snow --steps 50' });
    assert.ok('message' in sent);
    const photo = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), {
      timeoutMs: 15_000,
    });
    const everything = () =>
      h.tg.messages(user.id, { includeDeleted: true }).filter((m) => m.sender === 'bot');
    const status = everything()[0]!;
    assert.equal(status.reply_to_message_id, sent.message.message_id);
    assert.ok(h.tg.callsTo('sendMessage')[0]?.params.reply_markup, 'status message had a Cancel button');
    assert.match(photo.caption ?? '', /a red fox in the snow/);
    assert.match(photo.caption ?? '', /seed \d+/);
    assert.match(photo.caption ?? '', /sd15-txt2img/);
    const labels = buttonsOf(photo).map((b) => b.text);
    assert.ok(
      labels.some((l) => /Reroll/.test(l)) &&
        labels.some((l) => /Use seed/.test(l)) &&
        labels.some((l) => /Delete/.test(l)),
    );
    assert.ok(labels.includes('U1'), labels.join());
    for (const b of buttonsOf(photo)) assert.ok(Buffer.byteLength(b.callback_data) <= 64);
    // Once the result is there the status goes: the chat holds the result only, no "Done" beside it.
    await h.tg.waitFor(() => (h.tg.message(user.id, status.message_id) ? undefined : true), {
      timeoutMs: 5000,
    });
    assert.deepEqual(
      botMessages(h.tg, user.id).map((m) => m.message_id),
      [photo.message_id],
    );
    const edits = everything()[0]!.edits.map((e) => e.text ?? '');
    assert.ok(
      edits.some((t) => /▰.*%/.test(t)),
      `progress edits: ${edits.join(' | ')}`,
    );
    assert.ok(!edits.some((t) => /Done/.test(t)), 'no Done status');
    assert.equal(new Set(edits).size, edits.length, 'no identical edits');
    assert.deepEqual(broken(h.tg), []);
    const rates = h.tg.editRates(1000).perChat.find((r) => r.chatId === user.id);
    // In the shared clock's time: an edit's gap runs from the previous one's answer, so it is exact.
    assert.ok(!rates || rates.minIntervalMs >= 1000, JSON.stringify(rates));
  });

  it('WHEN /imagine --n 4 THEN one album of four photos and a separate message holding the buttons', async () => {
    const user = h.tg.addUser({ first_name: 'Bo' });
    await h.tg.userSends({ userId: user.id, text: '/imagine four cats --n 4 --steps 4' });
    const buttons = await h.tg.waitFor(
      (f) => botMessages(f, user.id).find((m) => m.text && buttonsOf(m).some((b) => /Reroll/.test(b.text))),
      { timeoutMs: 15_000 },
    );
    const album = botMessages(h.tg, user.id).filter((m) => m.media_group_id);
    assert.equal(album.length, 4);
    assert.equal(new Set(album.map((m) => m.media_group_id)).size, 1);
    assert.match(album[0]!.caption ?? '', /four cats/);
    assert.deepEqual(
      buttonsOf(buttons)
        .filter((b) => /^U\d$/.test(b.text))
        .map((b) => b.text),
      ['U1', 'U2', 'U3', 'U4'],
    );
    assert.ok(buttons.message_id > album.at(-1)!.message_id);
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN a photo comes with the caption /imagine, or /imagine replies to a photo THEN an img2img job runs on the downloaded image', async () => {
    const user = h.tg.addUser({ first_name: 'Cy' });
    const png = await solidPng(256, 256);
    await h.tg.userSends({ userId: user.id, photo: png, caption: '/imagine make it blue' });
    const first = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), {
      timeoutMs: 15_000,
    });
    assert.match(first.caption ?? '', /sd15-img2img/);
    assert.ok(h.tg.callsTo('getFile').length >= 1);
    assert.ok(h.comfy.uploads().length >= 1, 'the photo was uploaded to ComfyUI');
    const photoMsg = await h.tg.userSends({ userId: user.id, photo: png });
    assert.ok('message' in photoMsg);
    await h.tg.userSends({
      userId: user.id,
      text: '/imagine now in red',
      replyToMessageId: photoMsg.message.message_id,
    });
    const second = await h.tg.waitFor((f) => botMessages(f, user.id).filter((m) => m.photo)[1], {
      timeoutMs: 15_000,
    });
    assert.match(second.caption ?? '', /now in red[\s\S]*sd15-img2img/);
  });

  it('WHEN a photo comes with /imagine --n 3 --seed 41 THEN three img2img jobs with seeds 41–43, three results', async () => {
    const user = h.tg.addUser({ first_name: 'Gus' });
    const png = await solidPng(128, 128);
    await h.tg.userSends({
      userId: user.id,
      photo: png,
      caption: '/imagine a fox --steps 2 --seed 41 --n 3',
    });
    await h.tg.waitFor((f) => botMessages(f, user.id).filter((m) => m.photo)[2], { timeoutMs: 20_000 });
    // A job ends once its result is in the chat and its status is gone: each is read when it has ended.
    const listed = await h.app.engine.listForUser({ platform: 'telegram', userId: String(user.id) }, 10);
    const jobs = await Promise.all(listed.map((j) => settled(h.app, j.id)));
    assert.deepEqual(jobs.map((j) => [j.request.template, j.seed, j.state]).sort(), [
      ['sd15-img2img', 41, 'succeeded'],
      ['sd15-img2img', 42, 'succeeded'],
      ['sd15-img2img', 43, 'succeeded'],
    ]);
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN /start or /help in Chinese THEN usage is explained in Chinese', async () => {
    const user = h.tg.addUser({ first_name: '李', language_code: 'zh-hans' });
    await h.tg.userSends({ userId: user.id, text: '/start' });
    const texts = await h.tg.waitFor((f) => {
      const t = botMessages(f, user.id).map((m) => m.text ?? '');
      return t.length >= 2 ? t : undefined;
    });
    assert.match(texts.join('\n'), /你好/);
    assert.match(texts.join('\n'), /输入 \/imagine/);
  });

  it('WHEN editMessageText answers 429 during progress THEN the bot waits retry_after, sends only the latest state and still delivers', async () => {
    const user = h.tg.addUser({ first_name: 'Di' });
    h.tg.inject429({ method: 'editMessageText', chatId: user.id, retryAfter: 2, times: 1 });
    // 50 steps × 8 ms × 20 = 8 s of clock time: room for the 2 s wait and later edits.
    h.comfy.setStepDelay(8);
    await h.tg.userSends({ userId: user.id, text: 'a slow lighthouse --steps 50' });
    await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), { timeoutMs: 20_000 });
    h.comfy.setStepDelay(5);
    const edits = h.tg.callsTo('editMessageText').filter((c) => Number(c.params.chat_id) === user.id);
    const limited = edits.findIndex((c) => c.status === 429);
    assert.ok(limited >= 0, 'a 429 happened');
    const next = edits[limited + 1];
    assert.ok(
      next && next.at - edits[limited]!.at >= 2000,
      `waited ${next ? next.at - edits[limited]!.at : 'n/a'} ms`,
    );
    assert.ok(
      !h.tg
        .violations()
        .some((v) => v.rule === 'retry-before-retry-after' || v.rule === 'message-not-modified'),
      JSON.stringify(h.tg.violations()),
    );
  });

  it("WHEN one job runs THEN another person's /quota is answered before it finishes", async () => {
    const a = h.tg.addUser({ first_name: 'Eve' });
    const b = h.tg.addUser({ first_name: 'Fay' });
    // The GPU holds the job until the test lets it go: "before it finishes" needs no race with real time.
    h.comfy.stall(true);
    await h.tg.userSends({ userId: a.id, text: 'a very long job --steps 50' });
    await h.tg.waitFor((f) => botMessages(f, a.id)[0], { timeoutMs: 5000 });
    await h.tg.userSends({ userId: b.id, text: '/quota' });
    const answer = await h.tg.waitFor((f) => botMessages(f, b.id)[0], { timeoutMs: 5000 });
    assert.match(answer.text ?? '', /Tier/);
    assert.equal(
      botMessages(h.tg, a.id).find((m) => m.photo),
      undefined,
      'first job still running',
    );
    // How fast it ends once let go proves nothing here.
    h.comfy.setStepDelay(0);
    h.comfy.stall(false);
    await h.tg.waitFor((f) => botMessages(f, a.id).find((m) => m.photo), { timeoutMs: 20_000 });
    h.comfy.setStepDelay(5);
  });
});
