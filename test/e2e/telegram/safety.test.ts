import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { FileSafety, JobResult, ResultFile } from '../../../src/core/jobs/ports.ts';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import type { FakeUser } from '../../fakes/telegram/state.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

// The core's safety stage sets `ResultFile.safety` before `deliver`; here the decisions are set by hand on
// a real job's files (read back from the fake ComfyUI), so only the Telegram presentation is under test.

const jpeg = (shade: number) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: { r: shade, g: shade, b: shade } } })
    .jpeg()
    .toBuffer();

const marked = (file: ResultFile, safety: FileSafety): ResultFile => ({ ...file, safety });
const explicit = (action: FileSafety['action'], blurred?: Buffer): FileSafety => ({
  action,
  rule: 'explicit',
  scores: { porn: 0.97, neutral: 0.03 },
  ...(blurred ? { blurred: { bytes: blurred, mime: 'image/jpeg' } } : {}),
});

describe('GIVEN a group and results the safety stage marked unsafe', () => {
  let h: Harness;
  let group: number;
  let ann: FakeUser;
  let ben: FakeUser;
  let job: JobRecord;
  let real: JobResult;
  /** Posts `result` for Ann's job in the group, as a first delivery. */
  const post = (result: JobResult) =>
    h.bot.frontEnd.sendResultTo(job, result, group, 'en', undefined, {}, async () => undefined);
  const newSince = (chat: number, after: number) =>
    botMessages(h.tg, chat).filter((m) => m.message_id > after);
  const lastId = (chat: number) => botMessages(h.tg, chat).at(-1)?.message_id ?? 0;

  before(async () => {
    h = await harness({ comfy: { stepDelayMs: 5 } });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Everyone' }).id);
    ann = h.tg.addUser({ first_name: 'Ann', language_code: 'en' });
    ben = h.tg.addUser({ first_name: 'Ben', language_code: 'en' });
    await h.tg.userSends({ chatId: group, userId: ann.id, text: '/imagine a kite over the sea --batch 2' });
    const album = await h.tg.waitFor(
      (f) => botMessages(f, group).find((m) => buttonsOf(m).some((b) => b.callback_data.startsWith('cr:r:'))),
      { timeoutMs: 15_000 },
    );
    const id = buttonsOf(album)
      .find((b) => b.callback_data.startsWith('cr:r:'))!
      .callback_data.slice(5);
    const ports = relayPorts(h.app);
    job = (await ports.jobs.get(id))!;
    const read = await ports.results.read(job);
    assert.ok(read.ok);
    real = read.value;
    assert.ok(real.files.filter((f) => f.kind === 'image').length >= 2, 'two images to mark');
  });
  after(() => h.close());

  it('WHEN an image is marked spoiler THEN it is posted with has_spoiler, alone and in an album', async () => {
    const [a, b] = real.files;
    const from = lastId(group);
    await post({ ...real, files: [marked(a!, explicit('spoiler'))] });
    const [single] = newSince(group, from);
    assert.ok(single?.photo && single.has_spoiler, 'one photo behind a spoiler');
    assert.ok(
      buttonsOf(single).some((x) => /Reroll/.test(x.text)),
      'its buttons ride on it',
    );

    const from2 = lastId(group);
    await post({ ...real, files: [marked(a!, explicit('spoiler')), marked(b!, explicit('allow'))] });
    const [first, second] = newSince(group, from2);
    assert.ok(first?.media_group_id && first.has_spoiler, 'the spoilered one hidden in the album');
    assert.ok(second?.photo && !second.has_spoiler, 'the allowed one shown');
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN an image is marked blur THEN the blurred stand-in is posted with "Show original", which only the requester gets, privately', async () => {
    const blurred = await jpeg(90);
    const from = lastId(group);
    await post({ ...real, files: [marked(real.files[0]!, explicit('blur', blurred))] });
    const [posted] = newSince(group, from);
    assert.ok(posted?.photo, 'a photo in the group');
    assert.ok(posted.upload?.bytes.equals(blurred), 'the blurred bytes, not the original');
    const reveal = buttonsOf(posted).find((x) => /Show original/.test(x.text));
    assert.ok(reveal, JSON.stringify(buttonsOf(posted)));
    assert.equal(reveal.callback_data, `so:${job.id}:0`);
    const press = (userId: number) => {
      const id = h.tg.pressButton({
        chatId: group,
        messageId: posted.message_id,
        userId,
        data: reveal.callback_data,
      });
      return h.tg.waitFor((f) => f.callbackAnswers().find((q) => q.id === id), { timeoutMs: 10_000 });
    };

    const refused = await press(ben.id);
    assert.equal(refused.answer.show_alert, true);
    assert.match(refused.answer.text ?? '', /Only the person who asked/);
    assert.deepEqual(botMessages(h.tg, ben.id), [], 'nothing sent to someone else');

    // Ann has not started the bot: Telegram refuses the private message.
    h.tg.injectFailure({
      method: /^send/,
      chatId: ann.id,
      status: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    const notStarted = await press(ann.id);
    assert.equal(notStarted.answer.show_alert, true);
    assert.match(
      notStarted.answer.text ?? '',
      new RegExp(`private chat with @${h.tg.botInfo.username}.*Start`),
    );
    assert.deepEqual(botMessages(h.tg, ann.id), []);

    const sent = await press(ann.id);
    assert.match(sent.answer.text ?? '', /Sent to you/);
    const [original] = botMessages(h.tg, ann.id);
    assert.ok(original?.photo, 'the original, as a photo, in her private chat');
    assert.ok(!original.has_spoiler);
    assert.match(original.caption ?? '', new RegExp(`original of ${job.id}`));
    assert.ok(!original.upload?.bytes.equals(blurred));
    assert.equal(newSince(group, posted.message_id).length, 0, 'nothing more in the group');
  });

  it('WHEN one image of two is blocked THEN only the other is posted, with a short note, and the requester is told privately', async () => {
    const [a, b] = real.files;
    const from = lastId(group);
    const fromDm = lastId(ann.id);
    await post({ ...real, files: [marked(a!, explicit('block')), marked(b!, explicit('allow'))] });
    const posted = newSince(group, from);
    assert.equal(posted.filter((m) => m.photo).length, 1, 'one photo');
    assert.ok(posted[0]?.upload?.bytes && !posted[0].upload.bytes.equals(a!.bytes));
    assert.match(posted[0]!.caption ?? '', /An image was withheld by the safety filter/);
    const [notice] = newSince(ann.id, fromDm);
    assert.match(notice?.text ?? '', new RegExp(`withheld 1 file\\(s\\) of your result ${job.id}`));
  });

  it('WHEN every image is blocked THEN the group gets only the caption with the note and the buttons', async () => {
    const from = lastId(group);
    await post({ ...real, files: real.files.map((f) => marked(f, explicit('block'))) });
    const posted = newSince(group, from);
    assert.equal(posted.length, 1);
    assert.ok(!posted[0]!.photo && !posted[0]!.document);
    assert.match(posted[0]!.text ?? '', /images were withheld by the safety filter/);
    assert.match(posted[0]!.text ?? '', /kite over the sea/);
    assert.ok(buttonsOf(posted[0]).some((x) => /Reroll/.test(x.text)));
  });

  it('WHEN the engine delivers a marked result THEN deliver applies it too (spoiler)', async () => {
    const copy: JobRecord = {
      ...job,
      id: 'zzspoiler1',
      delivery: { platform: 'telegram', chatId: group, chatType: 'supergroup', locale: 'en' },
    };
    const result = { ...real, files: [marked(real.files[0]!, explicit('spoiler'))] };
    const from = lastId(group);
    await h.bot.frontEnd.deliver(copy, result);
    const [posted] = newSince(group, from);
    assert.ok(posted?.photo && posted.has_spoiler);
  });
});
