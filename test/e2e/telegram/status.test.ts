import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { TelegramTarget } from '../../../src/adapters/telegram/front-end.ts';
import { decodeAction } from '../../../src/core/chat/actions.ts';
import type { JobRecord, JobUpdate } from '../../../src/core/jobs/types.ts';
import { waitFor } from '../../helpers/app.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

const jpeg = (r: number, g: number, b: number) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();

/** A finished job of this user, found through the result's buttons. */
async function finishedJob(h: Harness, chatId: number, prompt: string): Promise<JobRecord> {
  const user = h.tg.addUser({ first_name: 'Pia' });
  await h.tg.userSends({ chatId: chatId || user.id, userId: user.id, text: `/imagine ${prompt}` });
  const photo = await h.tg.waitFor(
    (f) =>
      botMessages(f, chatId || user.id).find((m) => m.caption?.includes(prompt) && /seed/.test(m.caption)),
    { timeoutMs: 15_000 },
  );
  const id = decodeAction(buttonsOf(photo)[0]!.callback_data)!.jobId;
  return (await h.app.engine.get(id))!;
}

describe('GIVEN live previews', () => {
  let h: Harness;
  let base: JobRecord;
  let group: number;
  before(async () => {
    // 20× time for the app and the fake alike: the group's 3 s pacing takes 150 real ms.
    h = await harness({ comfy: { previews: true }, speed: 20 });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Previews' }).id);
    h.tg.setAdmin(group, h.tg.botInfo.id);
    base = await finishedJob(h, 0, 'a base job');
  });
  after(() => h.close());

  /** Feeds the front end updates the engine would send (the fake ComfyUI's frames are all alike). */
  const feed = (job: JobRecord, u: Omit<JobUpdate, 'job'> & { state: JobRecord['state'] }) =>
    h.bot.frontEnd.update({ ...u, job: { ...job, state: u.state } });

  it('WHEN frames arrive THEN the status becomes a photo on the first, editMessageMedia on a new one, caption edits, and the preview is gone at the end', async () => {
    const chatId = (base.delivery as TelegramTarget).chatId;
    const job: JobRecord = {
      ...base,
      id: 'pvtest0001',
      delivery: { platform: 'telegram', chatId, chatType: 'private', locale: 'en', previews: true },
    };
    const [red, blue] = [await jpeg(220, 30, 30), await jpeg(30, 30, 220)];
    const running = (fraction: number) => ({ fraction, step: Math.round(fraction * 10), steps: 10 });
    await feed(job, { state: 'running', progress: running(0.1) });
    const text = await h.tg.waitFor(
      (f) => botMessages(f, chatId).at(-1)?.text?.includes('a base job') && botMessages(f, chatId).at(-1),
    );
    await feed(job, { state: 'running', progress: running(0.3), preview: { mime: 'image/jpeg', data: red } });
    const photo = await h.tg.waitFor((f) =>
      botMessages(f, chatId).find((m) => m.photo && m.message_id > text.message_id),
    );
    assert.equal(h.tg.message(chatId, text.message_id), undefined, 'the text status was replaced');
    assert.ok(buttonsOf(photo).some((b) => /Cancel/.test(b.text)));
    assert.equal((await h.app.engine.get(job.id)) ?? 'not stored', 'not stored');

    await feed(job, {
      state: 'running',
      progress: running(0.6),
      preview: { mime: 'image/jpeg', data: blue },
    });
    await h.tg.waitForCall('editMessageMedia');
    // A later update without a frame keeps the photo and edits the caption only.
    await feed(job, { state: 'running', progress: running(0.9) });
    await h.tg.waitForCall('editMessageCaption');
    // Its end removes the preview: it would look like another result beside the real one.
    await feed(job, { state: 'succeeded', progress: running(1) });
    await h.tg.waitFor((f) => (f.message(chatId, photo.message_id) ? undefined : true));
    const said = h.tg
      .messages(chatId, { includeDeleted: true })
      .find((m) => m.message_id === photo.message_id);
    assert.ok(!said?.edits.some((e) => /Done/.test(e.caption ?? '')), 'never captioned "Done"');
    assert.equal(h.tg.callsTo('editMessageMedia').length, 1, 'one new frame, one media edit');
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN the group turned previews off THEN its jobs carry that and their status stays text', async () => {
    const admin = h.tg.addUser({ first_name: 'Ad' });
    h.tg.setAdmin(group, admin.id);
    await h.tg.userSends({ chatId: group, userId: admin.id, text: '/admin previews off' });
    await h.tg.waitFor((f) => botMessages(f, group).find((m) => /Done: previews/.test(m.text ?? '')));
    const job = await finishedJob(h, group, 'a quiet harbour');
    assert.equal((job.delivery as TelegramTarget).previews, false);
    assert.equal((base.delivery as TelegramTarget).previews, true, 'private chats allow previews');

    const sends = h.tg.callsTo('sendPhoto').length;
    const quiet: JobRecord = { ...job, id: 'pvtest0002' };
    await h.bot.frontEnd.update({
      job: { ...quiet, state: 'running' },
      progress: { fraction: 0.5 },
      preview: { mime: 'image/jpeg', data: await jpeg(0, 200, 0) },
    });
    await h.bot.frontEnd.update({ job: { ...quiet, state: 'canceled' } });
    assert.equal(h.tg.callsTo('sendPhoto').length, sends, 'no photo status');
  });

  it('WHEN a real job runs where previews are allowed THEN its status shows a preview photo', async () => {
    const user = h.tg.addUser({ first_name: 'Viv' });
    // 40 steps × 5 ms × 20 = 4 s of clock time: several 1 s turns, each with a frame.
    h.comfy.setStepDelay(5);
    await h.tg.userSends({ userId: user.id, text: 'a preview please --steps 40' });
    await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo && m.caption?.includes('seed')), {
      timeoutMs: 15_000,
    });
    h.comfy.setStepDelay(5);
    const statusPhotos = h.tg
      .callsTo('sendPhoto')
      .filter((c) => Number(c.params.chat_id) === user.id && /preview/.test(c.files[0]?.filename ?? ''));
    assert.ok(statusPhotos.length >= 1, 'a preview photo status');
  });
});

describe('GIVEN a status message deleted by someone mid-job', () => {
  let h: Harness;
  before(async () => {
    // 20× time: 50 steps × 40 ms × 20 = 40 s of clock time, 1 s turns of edits: room to see the deletion.
    h = await harness({ comfy: { stepDelayMs: 40 }, speed: 20 });
  });
  after(() => h.close());

  it('THEN a new status message replaces it, is stored, and after a restart updates go to it', async () => {
    const user = h.tg.addUser({ first_name: 'Del' });
    const sent = await h.tg.userSends({ userId: user.id, text: 'a long road --steps 50' });
    const first = await h.tg.waitFor((f) => botMessages(f, user.id)[0]);
    const jobId = decodeAction(buttonsOf(first)[0]!.callback_data)!.jobId;
    // The person deletes the status message (as the fake stores a deletion).
    h.tg.message(user.id, first.message_id)!.deletedAt = h.tg.clock.now();
    const second = await h.tg.waitFor(
      (f) =>
        botMessages(f, user.id).find(
          (m) => m.message_id > first.message_id && /long road/.test(m.text ?? ''),
        ),
      { timeoutMs: 10_000 },
    );
    assert.ok('message' in sent);
    assert.equal(second.reply_to_message_id, sent.message.message_id);
    const statusIdOf = async () =>
      ((await h.app.engine.get(jobId))?.delivery as TelegramTarget | undefined)?.statusId;
    await waitFor(async () => (await statusIdOf()) === second.message_id, 5000, 'new statusId stored');

    // The GPU holds the job over the restart, so that it is still running after it, whatever the load.
    h.comfy.stall(true);
    await h.restart();
    const edits = h.tg.message(user.id, second.message_id)!.edits.length;
    h.comfy.setStepDelay(2);
    h.comfy.stall(false);
    await h.tg.waitFor(
      (f) => (f.message(user.id, second.message_id)?.edits.length ?? 0) > edits || undefined,
      { timeoutMs: 15_000, message: 'an edit of the new status after the restart' },
    );
    await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), { timeoutMs: 20_000 });
    await h.tg.waitFor(() => (h.tg.message(user.id, second.message_id) ? undefined : true));
    const statuses = h.tg
      .messages(user.id, { includeDeleted: true })
      .filter((m) => m.sender === 'bot' && /long road/.test(m.text ?? ''));
    assert.deepEqual(
      statuses.map((m) => m.message_id),
      [first.message_id, second.message_id],
      'no third status message',
    );
    assert.deepEqual(
      botMessages(h.tg, user.id).map((m) => (m.photo ? 'photo' : m.text)),
      ['photo'],
      'after the job the chat holds only its result',
    );
  });
});
