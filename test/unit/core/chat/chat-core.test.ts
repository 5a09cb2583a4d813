import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeAction, encodeAction } from '../../../../src/core/chat/actions.ts';
import { resultButtons } from '../../../../src/core/chat/buttons.ts';
import { captionText } from '../../../../src/core/chat/caption.ts';
import { findBannedWord } from '../../../../src/core/chat/community-policy.ts';
import { fitImage, gridOf } from '../../../../src/core/chat/media.ts';
import type { JobRecord } from '../../../../src/core/jobs/types.ts';

describe('button actions', () => {
  it('GIVEN every action THEN it round-trips and fits Telegram’s 64 bytes', () => {
    for (const a of [
      { action: 'reroll', jobId: 'abcdefghij' },
      { action: 'upscale', jobId: 'abcdefghij', index: 4 },
      { action: 'variation', jobId: '0123456789', index: 1 },
      { action: 'delete', jobId: 'zzzzzzzzzz' },
      { action: 'cancel', jobId: 'a1b2c3d4e5' },
    ] as const) {
      const id = encodeAction(a);
      assert.ok(Buffer.byteLength(id) <= 64);
      assert.deepEqual(decodeAction(id), a);
    }
  });

  it('GIVEN forged or foreign ids THEN they decode to nothing', () => {
    for (const forged of [
      '',
      'cr',
      'cr:x:abcdefghij',
      'cr:r:ABCDEFGHIJ',
      'cr:r:abc',
      'cr:r:abcdefghij:1',
      'cr:u:abcdefghij',
      'cr:u:abcdefghij:0',
      'cr:u:abcdefghij:1:2',
      'xx:r:abcdefghij',
      'cr:r:../../etc',
      `cr:r:${'a'.repeat(100)}`,
    ]) {
      assert.equal(decodeAction(forged), undefined, forged);
    }
  });

  it('GIVEN four images THEN the rows hold at most five buttons each', () => {
    const rows = resultButtons('abcdefghij', 4, 'zh', { variation: true, upscale: true });
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.length <= 5));
    assert.match(rows[0]![0]!.label, /放大1/);
  });
});

describe('banned words', () => {
  it('GIVEN whole words in any case THEN they are found, parts of words are not', () => {
    assert.equal(findBannedWord('A Gory scene', ['gory']), 'gory');
    assert.equal(findBannedWord('allegory of time', ['gory']), undefined);
    assert.equal(findBannedWord('一个血腥的场景', ['血腥']), '血腥');
    assert.equal(findBannedWord('nothing here', []), undefined);
  });
});

describe('captions', () => {
  it('GIVEN a long prompt THEN the caption fits the limit and keeps the seed', () => {
    const job = {
      id: 'abcdefghij',
      seed: 123456,
      request: {
        template: 'sd15-txt2img',
        prompt: '灯塔'.repeat(2000),
        values: { width: 512, height: 512, steps: 20 },
      },
      owner: { platform: 'telegram', userId: '1', displayName: 'Alice' },
    } as unknown as JobRecord;
    const text = captionText(job, 'en', 1024);
    assert.ok([...text].length <= 1024, `${[...text].length}`);
    assert.match(text, /seed 123456/);
    assert.match(text, /512×512/);
  });
});

describe('media fitting', () => {
  const noise = (w: number, h: number) =>
    sharp(Buffer.from(Array.from({ length: w * h * 3 }, (_, i) => (i * 7919) % 251)), {
      raw: { width: w, height: h, channels: 3 },
    })
      .png()
      .toBuffer();

  it('GIVEN a PNG that fits and metadata wanted THEN it is kept as is', async () => {
    const png = await noise(64, 64);
    const out = await fitImage('a.png', png, 'image/png', {
      maxBytes: 10_000_000,
      formats: ['webp'],
      keepPng: true,
    });
    assert.equal(out?.bytes, png);
    assert.equal(out?.reencoded, false);
  });

  it('GIVEN an image over the limit THEN it is re-encoded, then downscaled, until it fits', async () => {
    const png = await noise(512, 512);
    const limit = Math.floor(png.length / 8);
    const out = await fitImage('a.png', png, 'image/png', {
      maxBytes: limit,
      formats: ['jpeg'],
      keepPng: true,
    });
    assert.ok(out && out.bytes.length <= limit);
    assert.equal(out.mime, 'image/jpeg');
    assert.equal(out.name, 'a.jpg');
  });

  it('GIVEN an impossible limit THEN it gives up rather than sending something too big', async () => {
    const out = await fitImage('a.png', await noise(256, 256), 'image/png', {
      maxBytes: 10,
      formats: ['jpeg'],
      keepPng: false,
    });
    assert.equal(out, undefined);
  });

  it('GIVEN four images THEN the grid is twice their size', async () => {
    const img = await noise(32, 48);
    const meta = await sharp(await gridOf([img, img, img, img])).metadata();
    assert.deepEqual([meta.width, meta.height], [64, 96]);
  });
});

describe('input images', () => {
  it('GIVEN a PDF named .png, a zip and garbage THEN each is refused as not an image', async () => {
    const { checkInputImage } = await import('../../../../src/core/chat/input-image.ts');
    for (const bytes of [
      Buffer.from('%PDF-1.7\n1 0 obj'),
      Buffer.from('PK\u0003\u0004zipzip'),
      Buffer.alloc(100, 7),
    ]) {
      const r = await checkInputImage(bytes);
      assert.ok(!r.ok && r.error.code === 'chat.image.notAnImage');
    }
  });

  it('GIVEN a real JPEG THEN its type comes from its bytes', async () => {
    const { checkInputImage } = await import('../../../../src/core/chat/input-image.ts');
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336' } })
      .jpeg()
      .toBuffer();
    const r = await checkInputImage(jpeg);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { mime: 'image/jpeg', width: 40, height: 30 });
  });

  it('GIVEN an image wider than 8192 pixels THEN it is refused with its size', async () => {
    const { checkInputImage } = await import('../../../../src/core/chat/input-image.ts');
    const wide = await sharp({ create: { width: 9000, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const r = await checkInputImage(wide);
    assert.ok(!r.ok && r.error.code === 'chat.image.tooLarge');
  });
});
