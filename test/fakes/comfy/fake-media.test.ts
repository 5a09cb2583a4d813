// The fake ComfyUI's animation, video and audio outputs: real files, with ComfyUI 0.3.64's `ui` shapes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { type FakeComfy, startFakeComfy } from './index.ts';

let fake: FakeComfy;
before(async () => {
  fake = await startFakeComfy({ jobMs: 0 });
});
after(() => fake.close());

// biome-ignore lint/suspicious/noExplicitAny: history shapes are asserted field by field
type Json = any;

/** Queues a graph, waits for its history entry, returns the output node's `ui`. */
async function run(graph: Record<string, unknown>, outputNode: string): Promise<Json> {
  const res = await fetch(`${fake.url}/prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: graph }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const id = ((await res.json()) as { prompt_id: string }).prompt_id;
  await fake.idle();
  const entry = ((await (await fetch(`${fake.url}/history/${id}`)).json()) as Json)[id];
  assert.equal(entry.status.status_str, 'success');
  return entry.outputs[outputNode];
}

async function view(ref: Json) {
  const res = await fetch(`${fake.url}/view?${new URLSearchParams(ref)}`);
  assert.equal(res.status, 200);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const frames = (batch: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 32, height: 24, batch_size: batch, color: 0x3366cc } },
});

test('GIVEN SaveAnimatedWEBP of 3 frames THEN one animated webp of 3 pages, listed under images with animated [true]', async () => {
  const ui = await run(
    {
      ...frames(3),
      '2': {
        class_type: 'SaveAnimatedWEBP',
        inputs: {
          images: ['1', 0],
          filename_prefix: 'anim',
          fps: 6,
          lossless: true,
          quality: 80,
          method: 'default',
        },
      },
    },
    '2',
  );
  assert.deepEqual(ui, {
    images: [{ filename: 'anim_00001_.webp', subfolder: '', type: 'output' }],
    animated: [true],
  });
  const file = await view(ui.images[0]);
  assert.equal(file.type, 'image/webp');
  const meta = await sharp(file.bytes).metadata();
  assert.equal(meta.pages, 3);
  assert.deepEqual([meta.width, meta.height], [32, 24]);
});

test('GIVEN SaveWEBM THEN a real WebM under images with animated [true] (ui.PreviewVideo)', async () => {
  const ui = await run(
    {
      ...frames(2),
      '2': {
        class_type: 'SaveWEBM',
        inputs: { images: ['1', 0], filename_prefix: 'clip', codec: 'vp9', fps: 24, crf: 32 },
      },
    },
    '2',
  );
  assert.deepEqual(ui, {
    images: [{ filename: 'clip_00001_.webm', subfolder: '', type: 'output' }],
    animated: [true],
  });
  const file = await view(ui.images[0]);
  assert.equal(file.type, 'video/webm');
  // EBML header, then the DocType "webm".
  assert.equal(file.bytes.readUInt32BE(0), 0x1a45dfa3);
  assert.ok(file.bytes.subarray(0, 64).includes(Buffer.from('webm')));
});

test('GIVEN CreateVideo → SaveVideo (format auto) THEN an MP4 in video/ under images with animated [true]', async () => {
  const graph = {
    ...frames(2),
    '2': { class_type: 'CreateVideo', inputs: { images: ['1', 0], fps: 30 } },
    '3': {
      class_type: 'SaveVideo',
      inputs: { video: ['2', 0], filename_prefix: 'video/ComfyUI', format: 'auto', codec: 'auto' },
    },
  };
  const ui = await run(graph, '3');
  assert.deepEqual(ui, {
    images: [{ filename: 'ComfyUI_00001_.mp4', subfolder: 'video', type: 'output' }],
    animated: [true],
  });
  const file = await view(ui.images[0]);
  assert.equal(file.type, 'video/mp4');
  assert.equal(file.bytes.subarray(4, 8).toString('latin1'), 'ftyp');
  const changed = { ...graph, '2': { class_type: 'CreateVideo', inputs: { images: ['1', 0], fps: 24 } } };
  const second = await run(changed, '3');
  assert.equal(
    second.images[0].filename,
    'ComfyUI_00002_.mp4',
    'the counter goes on like get_save_image_path',
  );
});

test('GIVEN EmptyAudio → SaveAudio THEN a FLAC under audio/ listed under audio', async () => {
  const ui = await run(
    {
      '1': { class_type: 'EmptyAudio', inputs: { duration: 1, sample_rate: 44100, channels: 1 } },
      '2': { class_type: 'SaveAudio', inputs: { audio: ['1', 0], filename_prefix: 'audio/ComfyUI' } },
    },
    '2',
  );
  assert.deepEqual(ui, { audio: [{ filename: 'ComfyUI_00001_.flac', subfolder: 'audio', type: 'output' }] });
  const file = await view(ui.audio[0]);
  assert.equal(file.type, 'audio/flac');
  assert.equal(file.bytes.subarray(0, 4).toString('latin1'), 'fLaC');
});
