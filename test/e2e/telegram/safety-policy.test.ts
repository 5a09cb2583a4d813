import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import { storedFor } from '../../../src/core/safety/job-safety.ts';
import { waitFor } from '../../helpers/app.ts';
import type { FakeUser, StoredMessage } from '../../fakes/telegram/state.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

// The whole path: the core's safety stage (a scripted classifier calling every image explicit), the
// group's policy set by its admin with `/admin safety`, and what the group and the requester see.

describe('GIVEN a group whose images the classifier calls explicit', () => {
  let h: Harness;
  let group: number;
  let ada: FakeUser;
  let ben: FakeUser;
  const since = (chat: number, after: number) => botMessages(h.tg, chat).filter((m) => m.message_id > after);
  const lastId = (chat: number) => h.tg.messages(chat, { includeDeleted: true }).at(-1)?.message_id ?? 0;
  /** Ben asks in the group; resolves with the result's messages once its buttons are there. */
  const imagine = async (prompt: string): Promise<StoredMessage[]> => {
    const from = lastId(group);
    await h.tg.userSends({ chatId: group, userId: ben.id, text: `/imagine ${prompt}` });
    await h.tg.waitFor(
      (f) =>
        botMessages(f, group).find(
          (m) => m.message_id > from && buttonsOf(m).some((b) => b.callback_data.startsWith('cr:r:')),
        ),
      { timeoutMs: 15_000 },
    );
    // The result replaces the job's status (its first message): what it shows is read once that is gone.
    const status = h.tg
      .messages(group, { includeDeleted: true })
      .find((m) => m.sender === 'bot' && m.message_id > from);
    if (status && !buttonsOf(status).some((b) => b.callback_data.startsWith('cr:r:')))
      await h.tg.waitFor(() => (h.tg.message(group, status.message_id) ? undefined : true), {
        message: 'the status removed',
      });
    return since(group, from).filter((m) => !buttonsOf(m).some((b) => /Cancel/.test(b.text)));
  };
  /** Ada (a group admin) runs `/admin safety …` in the group and gets its answer. */
  const admin = async (args: string) => {
    const from = lastId(group);
    await h.tg.userSends({ chatId: group, userId: ada.id, text: `/admin safety ${args}` });
    return h.tg.waitFor(() => since(group, from)[0], { timeoutMs: 5000 });
  };

  before(async () => {
    // 20× time for the app and the fake alike: the group's 3 s pacing takes 150 real ms.
    h = await harness({
      comfy: { stepDelayMs: 5 },
      app: { safetyClassifier: scriptedClassifier({ porn: 0.97 }) },
      speed: 20,
    });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Families' }).id);
    ada = h.tg.addUser({ first_name: 'Ada', language_code: 'en' });
    ben = h.tg.addUser({ first_name: 'Ben', language_code: 'en' });
    h.tg.setAdmin(group, ada.id);
  });
  after(() => h.close());

  it('THEN by default the image is blurred, with "Show original" for the requester', async () => {
    const [photo] = await imagine('a cat');
    assert.ok(photo?.photo, 'a photo: the blurred stand-in');
    assert.ok(!photo.has_spoiler);
    const reveal = buttonsOf(photo).find((b) => /Show original/.test(b.text));
    assert.match(reveal?.callback_data ?? '', /^so:[0-9a-z]{10}:0$/);

    // `/show` posts it again as decided the first time: blurred, not the original.
    const jobId = reveal!.callback_data.split(':')[1]!;
    const from = lastId(group);
    await h.tg.userSends({ chatId: group, userId: ben.id, text: `/show ${jobId}` });
    const again = await h.tg.waitFor(() => since(group, from).find((m) => m.photo), { timeoutMs: 10_000 });
    assert.ok(again.upload?.bytes.equals(photo.upload!.bytes), 'the same blurred stand-in');
    assert.ok(buttonsOf(again).some((b) => b.callback_data === reveal!.callback_data));
  });

  it('WHEN the admin sets the community to spoiler THEN the image is posted behind a spoiler', async () => {
    assert.match((await admin('community spoiler')).text ?? '', /Image safety changed/);
    const [photo] = await imagine('a dog');
    assert.ok(photo?.photo && photo.has_spoiler);
    assert.ok(!buttonsOf(photo).some((b) => /Show original/.test(b.text)));
  });

  it('WHEN the admin sets block THEN the group gets a note only, the requester a private notice, and the admin can see the original privately', async () => {
    await admin('community block');
    const fromDm = lastId(ben.id);
    const posted = await imagine('a horse');
    assert.deepEqual(
      posted.map((m) => !!(m.photo || m.document)),
      [false],
      'one message, no image',
    );
    assert.match(posted[0]!.text ?? '', /withheld by the safety filter/);
    const notice = await h.tg.waitFor(() => since(ben.id, fromDm)[0]);
    assert.match(notice.text ?? '', /withheld 1 file/);

    const jobId = buttonsOf(posted[0])
      .find((b) => b.callback_data.startsWith('cr:r:'))!
      .callback_data.slice(5);

    // Delivered again (as after a crash): nothing more in the group, no second private notice.
    const ports = relayPorts(h.app);
    const statusGone = async () => (await ports.jobs.get(jobId))?.delivery?.statusGone === true;
    await waitFor(statusGone, 5000, 'the first delivery finished');
    const job = (await ports.jobs.get(jobId))!;
    const read = await ports.results.read(job);
    assert.ok(read.ok);
    const again = storedFor(job.safety, read.value.files)!;
    const before = [lastId(group), lastId(ben.id)];
    await h.bot.frontEnd.deliver(job, {
      ...read.value,
      files: await Promise.all(read.value.files.map(again)),
    });
    assert.deepEqual([lastId(group), lastId(ben.id)], before);

    const fromGroup = lastId(group);
    const fromAda = lastId(ada.id);
    await h.tg.userSends({ chatId: group, userId: ada.id, text: `/admin safety original ${jobId}#0` });
    const original = await h.tg.waitFor(() => since(ada.id, fromAda).find((m) => m.photo), {
      timeoutMs: 10_000,
    });
    assert.ok(!original.has_spoiler);
    assert.match(since(ada.id, fromAda)[0]?.text ?? '', new RegExp(`original of job ${jobId}`));
    assert.deepEqual(since(group, fromGroup), [], 'nothing in the group');
  });

  it('WHEN the admin marks the chat adult THEN the image is posted as it is', async () => {
    await admin('adult on');
    const [photo] = await imagine('a bird');
    assert.ok(photo?.photo && !photo.has_spoiler);
    assert.ok(!buttonsOf(photo).some((b) => /Show original/.test(b.text)));
    assert.deepEqual(broken(h.tg), []);
  });
});

describe('GIVEN live previews in a group whose images the classifier calls explicit', () => {
  let h: Harness;
  before(async () => {
    // 20× time for the app and the fake alike: 40 steps × 7 ms × 20 = 5.6 s of clock time, past a 3 s turn.
    h = await harness({
      comfy: { stepDelayMs: 7, previews: true },
      app: { safetyClassifier: scriptedClassifier({ porn: 0.97 }) },
      speed: 20,
    });
  });
  after(() => h.close());

  it('THEN previews stay off while the policy blocks, and show once an admin marks the chat adult', async () => {
    const group = Number(h.tg.addChat({ type: 'supergroup', title: 'Previews' }).id);
    const ada = h.tg.addUser({ first_name: 'Ada' });
    h.tg.setAdmin(group, ada.id);
    const previewCalls = () =>
      [...h.tg.callsTo('sendPhoto'), ...h.tg.callsTo('editMessageMedia')].filter(
        (c) => Number(c.params.chat_id) === group && c.files.some((f) => /preview/.test(f.filename)),
      ).length;
    const run = async (prompt: string) => {
      const from = h.tg.messages(group, { includeDeleted: true }).at(-1)?.message_id ?? 0;
      await h.tg.userSends({ chatId: group, userId: ada.id, text: `/imagine ${prompt} --steps 40` });
      await h.tg.waitFor(
        (f) =>
          botMessages(f, group).find(
            (m) => m.message_id > from && buttonsOf(m).some((b) => /Reroll/.test(b.text)),
          ),
        { timeoutMs: 20_000 },
      );
    };
    const admin = async (args: string) => {
      await h.tg.userSends({ chatId: group, userId: ada.id, text: `/admin safety ${args}` });
      await h.tg.waitFor((f) =>
        botMessages(f, group).find((m) => new RegExp(`changed: ${args}`).test(m.text ?? '')),
      );
    };
    await admin('community block');
    await run('a quiet lake');
    assert.equal(previewCalls(), 0, 'no preview where the final image would be blocked');
    await admin('adult on');
    await run('a loud lake');
    assert.ok(previewCalls() >= 1, 'previews in a chat marked adult');
  });
});
