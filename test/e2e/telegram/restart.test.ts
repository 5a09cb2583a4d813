import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

describe('GIVEN a delivered result WHEN ComfyRelay restarts on the same data dir', () => {
  let h: Harness;
  before(async () => {
    // 10× time for the app and the fake alike: pacing and the restart's close pass 10× faster.
    h = await harness({ speed: 10 });
  });
  after(() => h.close());

  it('THEN the old Reroll, Use seed and Delete buttons still work', async () => {
    const user = h.tg.addUser({ first_name: 'Gus' });
    await h.tg.userSends({ userId: user.id, text: 'a tugboat in fog' });
    const first = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), {
      timeoutMs: 15_000,
    });
    await h.restart();

    const press = (label: RegExp) => {
      const button = buttonsOf(first).find((b) => label.test(b.text));
      assert.ok(button, `button ${label}`);
      return h.tg.pressButton({
        chatId: user.id,
        messageId: first.message_id,
        userId: user.id,
        data: button.callback_data,
      });
    };
    const reroll = press(/Reroll/);
    const second = await h.tg.waitFor((f) => botMessages(f, user.id).filter((m) => m.photo)[1], {
      timeoutMs: 15_000,
    });
    assert.match(second.caption ?? '', /a tugboat in fog/);
    assert.notEqual(
      /seed (\d+)/.exec(second.caption ?? '')?.[1],
      /seed (\d+)/.exec(first.caption ?? '')?.[1],
    );
    assert.equal(
      second.reply_to_message_id,
      first.message_id,
      JSON.stringify(h.tg.callsTo('sendPhoto').map((c) => c.params.reply_parameters)),
    );

    const seedPress = press(/Use seed/);
    const seed = /seed (\d+)/.exec(first.caption ?? '')?.[1];
    const seedAnswer = await h.tg.waitFor((f) => f.callbackAnswers().find((a) => a.id === seedPress));
    assert.equal(seedAnswer.answer.show_alert, true);
    assert.match(seedAnswer.answer.text ?? '', new RegExp(`--seed ${seed}`));

    const del = press(/Delete/);
    await h.tg.waitFor(() => h.tg.message(user.id, first.message_id) === undefined || undefined, {
      timeoutMs: 5000,
    });
    assert.ok(
      h.tg.messages(user.id).some((m) => m.message_id === second.message_id),
      'the reroll stays',
    );
    const answered = h.tg.callbackAnswers().map((a) => a.id);
    assert.ok(answered.includes(reroll) && answered.includes(del));
    assert.deepEqual(broken(h.tg), []);
  });
});

describe('GIVEN webhook mode', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ webhook: true, speed: 10 });
  });
  after(() => h.close());

  it('THEN setWebhook carries the secret token, updates arrive by webhook, and a wrong secret is refused', async () => {
    const hook = h.tg.webhook();
    assert.ok(hook?.url.endsWith('/telegram/hook'));
    assert.equal(h.tg.callsTo('setWebhook')[0]?.params.secret_token, 's3cret');
    const user = h.tg.addUser({ first_name: 'Hal' });
    await h.tg.userSends({ userId: user.id, text: 'a kite over the sea' });
    await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), { timeoutMs: 15_000 });
    assert.equal(h.tg.callsTo('getUpdates').length, 0);
    const url = hook!.url.replace('https:', 'http:');
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
      body: JSON.stringify({
        update_id: 999,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: user.id, type: 'private' },
          from: { id: user.id, is_bot: false, first_name: 'X' },
          text: 'forged',
        },
      }),
    });
    assert.equal(forged.status, 403);
  });
});
