import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TELEGRAM_LIMITS } from '../../../src/adapters/telegram/results.ts';
import { botMessages, broken, buttonsOf, type Harness, handled, harness } from './harness.ts';

describe('GIVEN a group where the bot reads every message', () => {
  let h: Harness;
  let group: number;
  before(async () => {
    // Time runs 10× faster for the app and the fake alike: the 3 s group pacing takes 300 real ms.
    h = await harness({ comfy: { stepDelayMs: 5 }, speed: 10 });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Artists' }).id);
    h.tg.setAdmin(group, h.tg.botInfo.id);
  });
  after(() => h.close());

  it("THEN plain messages are ignored, /imagine and a mention are prompts, edits are ≥3 s apart, and another member's Cancel is refused privately", async () => {
    const ann = h.tg.addUser({ first_name: 'Ann' });
    const ben = h.tg.addUser({ first_name: 'Ben' });
    await handled(
      h.tg,
      await h.tg.userSends({ chatId: group, userId: ann.id, text: 'a cat on a roof, just chatting' }),
    );
    assert.deepEqual(botMessages(h.tg, group), [], 'plain group messages are not prompts');

    // Long enough for the press and several paced edits (50 steps × 20 ms × 10 = 10 s of clock time).
    h.comfy.setStepDelay(20);
    await h.tg.userSends({ chatId: group, userId: ann.id, text: '/imagine a lighthouse at dusk --steps 50' });
    const status = await h.tg.waitFor(
      (f) => botMessages(f, group).find((m) => buttonsOf(m).some((b) => /Cancel/.test(b.text))),
      { timeoutMs: 5000 },
    );
    const cancel = buttonsOf(status).find((b) => /Cancel/.test(b.text))!;
    const query = h.tg.pressButton({
      chatId: group,
      messageId: status.message_id,
      userId: ben.id,
      data: cancel.callback_data,
    });
    const answer = await h.tg.waitFor((f) => f.callbackAnswers().find((a) => a.id === query));
    assert.equal(answer.answer.show_alert, true);
    assert.match(answer.answer.text ?? '', /Only the person who started/);
    // The one answer is the handler's first call: no admin lookup (the list was cached at /imagine), no post.
    const between = h.tg.calls.filter(
      (c) => c.at >= answer.createdAt && c.at <= answer.answer.at && c.method !== 'answerCallbackQuery',
    );
    assert.deepEqual(
      between.filter((c) => !/^(editMessage|getUpdates)/.test(c.method)).map((c) => c.method),
      [],
    );
    // In the shared clock, against Telegram's own deadline: a wall-time bound would only measure the load.
    assert.ok(
      answer.answer.latencyMs < h.tg.settings.callbackAnswerDeadlineMs,
      `answered after ${answer.answer.latencyMs} ms`,
    );
    const photo = await h.tg.waitFor((f) => botMessages(f, group).find((m) => m.photo), {
      timeoutMs: 20_000,
    });
    assert.match(photo.caption ?? '', /lighthouse/);
    assert.ok(
      !botMessages(h.tg, group).some((m) => /Only the person/.test(m.text ?? '')),
      'nothing posted in the group for the refused press',
    );
    h.comfy.setStepDelay(5);

    await h.tg.userSends({
      chatId: group,
      userId: ben.id,
      text: `@${h.tg.botInfo.username} a fox made of leaves`,
    });
    await h.tg.waitFor((f) => botMessages(f, group).find((m) => /fox made of leaves/.test(m.caption ?? '')), {
      timeoutMs: 15_000,
    });

    // In the shared clock's time: an edit's gap runs from the previous one's answer, so it is exact.
    const rates = h.tg.editRates(3000).perChat.find((r) => r.chatId === group);
    assert.ok(rates && rates.edits >= 2 && rates.minIntervalMs >= 3000, JSON.stringify(rates));
    assert.deepEqual(broken(h.tg), []);
  });

  it("THEN the owner's Cancel stops the job", async () => {
    const cid = h.tg.addUser({ first_name: 'Cid' });
    h.comfy.setStepDelay(200);
    await h.tg.userSends({ chatId: group, userId: cid.id, text: '/imagine a very slow castle --steps 50' });
    const status = await h.tg.waitFor(
      (f) => botMessages(f, group).find((m) => /castle/.test(m.text ?? '') && buttonsOf(m).length),
      { timeoutMs: 5000 },
    );
    h.tg.pressButton({
      chatId: group,
      messageId: status.message_id,
      userId: cid.id,
      data: buttonsOf(status)[0]!.callback_data,
    });
    await h.tg.waitFor(
      () => /Canceled/i.test(h.tg.message(group, status.message_id)?.text ?? '') || undefined,
      { timeoutMs: 10_000 },
    );
    h.comfy.setStepDelay(5);
  });
});

describe('GIVEN photo limits too small for the result (test-only MediaLimits)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({
      telegram: { limits: { ...TELEGRAM_LIMITS, photo: { ...TELEGRAM_LIMITS.photo, maxBytes: 100 } } },
    });
  });
  after(() => h.close());

  it('WHEN the image fits no photo even re-encoded and downscaled THEN it is sent as a document with caption and buttons', async () => {
    const user = h.tg.addUser({ first_name: 'Dee' });
    await h.tg.userSends({ userId: user.id, text: 'a huge panorama' });
    const doc = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.document), {
      timeoutMs: 15_000,
    });
    assert.match(doc.document?.file_name ?? '', /\.png$/);
    assert.match(doc.caption ?? '', /huge panorama/);
    assert.ok(buttonsOf(doc).some((b) => /Reroll/.test(b.text)));
    assert.equal(h.tg.callsTo('sendPhoto').length, 0);
  });
});

describe('GIVEN a Telegram account linked to a Discord account', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ config: { quotas: { defaults: { perWindow: 5, waiting: 5 } } } });
  });
  after(() => h.close());

  it('THEN jobs from both platforms count against one quota', async () => {
    const user = h.tg.addUser({ first_name: 'Eli' });
    const code = await h.chat.links.createCode({ platform: 'discord', userId: '123456789012345678' });
    await h.tg.userSends({ userId: user.id, text: `/link ${code}` });
    await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => /Accounts linked/.test(m.text ?? '')), {
      timeoutMs: 5000,
    });

    const fromDiscord = await h.chat.imagine({
      requester: { platform: 'discord', userId: '123456789012345678' },
      text: 'a discord lighthouse',
      place: { nsfwAllowed: false },
      delivery: { platform: 'discord' },
    });
    assert.ok(fromDiscord.ok, JSON.stringify(fromDiscord));
    await h.tg.userSends({ userId: user.id, text: 'a telegram lighthouse' });
    await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), { timeoutMs: 15_000 });
    await h.tg.userSends({ userId: user.id, text: '/quota' });
    const quota = await h.tg.waitFor(
      (f) => botMessages(f, user.id).find((m) => /jobs left/.test(m.text ?? '')),
      { timeoutMs: 5000 },
    );
    assert.match(quota.text ?? '', /3 of 5 jobs left/);
  });
});
