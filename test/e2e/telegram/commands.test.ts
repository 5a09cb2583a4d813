import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeAction } from '../../../src/core/chat/actions.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

describe('GIVEN /show and /workflows', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it("THEN /show re-posts one's own job with working buttons, and refuses someone else's", async () => {
    const owner = h.tg.addUser({ first_name: 'Oz' });
    const other = h.tg.addUser({ first_name: 'Ot' });
    await h.tg.userSends({ userId: owner.id, text: 'a paper boat' });
    const first = await h.tg.waitFor((f) => botMessages(f, owner.id).find((m) => m.photo), {
      timeoutMs: 15_000,
    });
    const jobId = decodeAction(buttonsOf(first)[0]!.callback_data)!.jobId;

    await h.tg.userSends({ userId: owner.id, text: `/show ${jobId}` });
    const again = await h.tg.waitFor((f) => botMessages(f, owner.id).filter((m) => m.photo)[1], {
      timeoutMs: 15_000,
    });
    assert.match(again.caption ?? '', /a paper boat/);
    assert.deepEqual(
      buttonsOf(again).map((b) => b.callback_data),
      buttonsOf(first).map((b) => b.callback_data),
    );
    const seed = buttonsOf(again).find((b) => /Use seed/.test(b.text))!;
    const query = h.tg.pressButton({
      chatId: owner.id,
      messageId: again.message_id,
      userId: owner.id,
      data: seed.callback_data,
    });
    const answer = await h.tg.waitFor((f) => f.callbackAnswers().find((a) => a.id === query));
    assert.match(answer.answer.text ?? '', /--seed \d+/);

    await h.tg.userSends({ userId: other.id, text: `/show ${jobId}` });
    const refused = await h.tg.waitFor((f) => botMessages(f, other.id)[0]);
    assert.match(refused.text ?? '', /Only the person who started/);
    assert.equal(botMessages(h.tg, other.id).filter((m) => m.photo).length, 0);
  });

  it('THEN /workflows lists the workflows usable here', async () => {
    const user = h.tg.addUser({ first_name: 'Wu' });
    await h.tg.userSends({ userId: user.id, text: '/workflows' });
    const list = await h.tg.waitFor((f) => botMessages(f, user.id)[0]);
    assert.match(list.text ?? '', /sd15-txt2img: /);
    assert.match(list.text ?? '', /sd15-img2img: /);
    assert.deepEqual(broken(h.tg), []);
  });
});

describe('GIVEN telegram.sendOriginalsAsDocuments', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ config: { telegram: { sendOriginalsAsDocuments: true } } });
  });
  after(() => h.close());

  it('THEN one image is a PNG document with caption and buttons; four are one document album plus a buttons message', async () => {
    const user = h.tg.addUser({ first_name: 'Doc' });
    await h.tg.userSends({ userId: user.id, text: 'an original' });
    const doc = await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.document), {
      timeoutMs: 15_000,
    });
    assert.match(doc.document?.file_name ?? '', /\.png$/);
    assert.equal(doc.upload?.mime, 'image/png');
    assert.match(doc.caption ?? '', /an original/);
    assert.ok(buttonsOf(doc).some((b) => /Reroll/.test(b.text)));

    await h.tg.userSends({ userId: user.id, text: 'four originals --n 4' });
    const buttons = await h.tg.waitFor(
      (f) => botMessages(f, user.id).find((m) => m.text && buttonsOf(m).some((b) => b.text === 'U4')),
      { timeoutMs: 15_000 },
    );
    const album = botMessages(h.tg, user.id).filter((m) => m.media_group_id);
    assert.equal(album.length, 4);
    assert.ok(album.every((m) => m.document && !m.photo));
    assert.ok(buttons.message_id > album.at(-1)!.message_id);
    assert.equal(h.tg.callsTo('sendPhoto').length, 0, 'no photos at all');
    assert.deepEqual(broken(h.tg), []);
  });
});
