import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { TELEGRAM_LIMITS } from '../../../src/adapters/telegram/results.ts';
import type { JobResult, ResultFile } from '../../../src/core/jobs/ports.ts';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { WORKFLOWS_DIR } from '../../helpers/app.ts';
import type { StoredMessage } from '../../fakes/telegram/state.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/workflows');

/** The shipped SD 1.5 template, `multi-save` (SaveImage, PreviewImage, SaveAnimatedWEBP) and `media-all`. */
function workflowsWithAnimation(): string {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-tg-outputs-'));
  for (const f of ['sd15-txt2img.json', 'sd15-txt2img.manifest.yaml'])
    copyFileSync(join(WORKFLOWS_DIR, f), join(dir, f));
  copyFileSync(join(FIXTURES, 'multi-save.json'), join(dir, 'multi-save.json'));
  // The same images, then an MP4 made of them (CreateVideo → SaveVideo) and a FLAC (SaveAudio).
  const graph = JSON.parse(readFileSync(join(FIXTURES, 'multi-save.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete graph['10'];
  delete graph['11'];
  Object.assign(graph, {
    '20': { class_type: 'CreateVideo', inputs: { images: ['8', 0], fps: 8 } },
    '21': {
      class_type: 'SaveVideo',
      inputs: { video: ['20', 0], filename_prefix: 'video/ComfyUI', format: 'auto', codec: 'auto' },
    },
    '22': { class_type: 'EmptyAudio', inputs: { duration: 1, sample_rate: 44100, channels: 1 } },
    '23': { class_type: 'SaveAudio', inputs: { audio: ['22', 0], filename_prefix: 'audio/ComfyUI' } },
  });
  writeFileSync(join(dir, 'media-all.json'), JSON.stringify(graph));
  return dir;
}

/** How the fake stored a message: which Bot API method made it and what it holds. */
const shape = (m: StoredMessage) =>
  m.photo
    ? 'photo'
    : m.animation
      ? 'animation'
      : m.video
        ? 'video'
        : m.audio
          ? 'audio'
          : m.document
            ? 'document'
            : 'text';

/** Runs the animated workflow in a private chat and returns the messages of its result, in order. */
async function animatedResult(
  h: Harness,
  name: string,
  text = 'a spinning top --model multi-save --batch 2',
): Promise<StoredMessage[]> {
  const user = h.tg.addUser({ first_name: name });
  await h.tg.userSends({ userId: user.id, text });
  // Done once the buttons are there and the status message is gone (it goes right after the result).
  await h.tg.waitFor(
    (f) => {
      const all = botMessages(f, user.id);
      return all.some((m) => buttonsOf(m).some((b) => /Reroll/.test(b.text))) && shape(all[0]!) !== 'text';
    },
    { timeoutMs: 20_000 },
  );
  return botMessages(h.tg, user.id);
}

describe('GIVEN workflows that save images, an animated WebP, a video and audio', () => {
  let h: Harness;
  before(async () => {
    // 10× time for the app and the fake alike: the chat's pacing between sends passes 10× faster.
    h = await harness({
      comfy: { stepDelayMs: 5 },
      config: { workflowsDir: workflowsWithAnimation() },
      speed: 10,
    });
  });
  after(() => h.close());

  it('WHEN it runs THEN the images arrive as an album, the animation by sendAnimation, then the buttons', async () => {
    const messages = await animatedResult(h, 'Ada');
    assert.deepEqual(messages.map(shape), ['photo', 'photo', 'animation', 'text']);
    assert.ok(messages[0]!.media_group_id && messages[0]!.media_group_id === messages[1]!.media_group_id);
    assert.match(messages[0]!.caption ?? '', /spinning top/);
    assert.match(messages[2]!.animation?.file_name ?? '', /\.webp$/);
    assert.equal(h.tg.callsTo('sendAnimation').length, 1);
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN a workflow saves an image, a video and audio THEN image and video share an album, the audio goes by sendAudio', async () => {
    const messages = await animatedResult(h, 'Eve', 'a spinning top --model media-all --batch 1');
    assert.deepEqual(messages.map(shape), ['photo', 'video', 'audio', 'text']);
    assert.ok(messages[0]!.media_group_id && messages[0]!.media_group_id === messages[1]!.media_group_id);
    assert.match(messages[1]!.video?.file_name ?? '', /\.mp4$/);
    assert.match(messages[2]!.audio?.file_name ?? '', /\.flac$/);
    assert.deepEqual(broken(h.tg), []);
  });

  it('WHEN a result holds every kind of output THEN each goes by its own method, in the order produced', async () => {
    const user = h.tg.addUser({ first_name: 'Bea' });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const file = (kind: ResultFile['kind'], filename: string, mime: string, bytes: Buffer): ResultFile => ({
      node: '9',
      kind,
      filename,
      mime,
      bytes,
    });
    const base = {
      id: 'zzoutputs1',
      request: { template: 'sd15-txt2img', prompt: 'every kind', values: {} },
      seed: 1,
      owner: { platform: 'telegram', userId: String(user.id) },
    };
    const result: JobResult = {
      files: [
        file('image', 'ComfyUI_00001_.png', 'image/png', png),
        file('video', 'anim/ComfyUI_00001_.webp', 'image/webp', Buffer.from('RIFF fake animated webp')),
        file('video', 'video/ComfyUI_00001_.mp4', 'video/mp4', Buffer.from('fake mp4')),
        file('audio', 'audio/ComfyUI_00001_.flac', 'audio/flac', Buffer.from('fLaC fake')),
        file('file', 'ComfyUI_00001_.json', 'application/json', Buffer.from('{}')),
      ],
      texts: [],
    };
    // Only what the caption and buttons read of a job.
    const record = base as unknown as JobRecord;
    await h.bot.frontEnd.sendResultTo(record, result, user.id, 'en', undefined, {}, async () => undefined);
    const messages = botMessages(h.tg, user.id);
    assert.deepEqual(messages.map(shape), ['photo', 'animation', 'video', 'audio', 'document', 'text']);
    assert.match(messages[0]!.caption ?? '', /every kind/);
    assert.equal(messages[3]!.audio?.file_name, 'ComfyUI_00001_.flac');

    // Images and a video share one album, in order.
    const mixed: JobResult = { files: [result.files[0]!, result.files[0]!, result.files[2]!], texts: [] };
    const from = messages.at(-1)!.message_id;
    await h.bot.frontEnd.sendResultTo(record, mixed, user.id, 'en', undefined, {}, async () => undefined);
    const album = botMessages(h.tg, user.id).filter((m) => m.message_id > from);
    assert.deepEqual(album.map(shape), ['photo', 'photo', 'video', 'text']);
    assert.ok(
      album[0]!.media_group_id &&
        album.slice(0, 3).every((m) => m.media_group_id === album[0]!.media_group_id),
    );
    assert.deepEqual(broken(h.tg), []);
  });
});

describe('GIVEN an animation over the media limit (test-only limits)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({
      comfy: { stepDelayMs: 5 },
      config: { workflowsDir: workflowsWithAnimation() },
      telegram: { limits: { ...TELEGRAM_LIMITS, mediaMaxBytes: 16 } },
      speed: 10,
    });
  });
  after(() => h.close());

  it('WHEN it runs THEN the animation goes as a document, after the images', async () => {
    const messages = await animatedResult(h, 'Cy');
    assert.deepEqual(messages.map(shape), ['photo', 'photo', 'document', 'text']);
    assert.match(messages[2]!.document?.file_name ?? '', /\.webp$/);
    assert.equal(h.tg.callsTo('sendAnimation').length, 0);
  });
});
