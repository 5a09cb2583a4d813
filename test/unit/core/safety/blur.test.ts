import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { blurredPreview } from '../../../../src/core/safety/index.ts';
import { animatedGif, checkerboard, shapes } from './images.ts';

/** Standard deviation of the grey levels: a checkerboard has ~127, a thorough blur almost none. */
async function detail(bytes: Buffer): Promise<number> {
  const stats = await sharp(bytes).greyscale().stats();
  return stats.channels[0]!.stdev;
}

describe('blurredPreview', () => {
  it('GIVEN a detailed image THEN the preview has its size, differs from it, and keeps almost no detail', async () => {
    const input = await checkerboard(640, 360, 8);
    const blurred = await blurredPreview(input);
    const meta = await sharp(blurred.bytes).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [640, 360, 'jpeg']);
    assert.deepEqual([blurred.width, blurred.height, blurred.mime], [640, 360, 'image/jpeg']);
    assert.notDeepEqual(blurred.bytes, input);
    assert.ok((await detail(input)) > 100);
    assert.ok((await detail(blurred.bytes)) < 10, `detail left: ${await detail(blurred.bytes)}`);
  });

  it('GIVEN large coloured shapes THEN the preview keeps the average colour (a stand-in, not a grey box)', async () => {
    const input = await shapes(512, 768);
    const [a, b] = await Promise.all([
      sharp(input).stats(),
      sharp((await blurredPreview(input)).bytes).stats(),
    ]);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(a.channels[c]!.mean - b.channels[c]!.mean) < 12);
  });

  it('GIVEN a PNG with its prompt in metadata THEN the preview does not carry it', async () => {
    const input = await sharp(await shapes(128, 128))
      .png()
      .withMetadata({ exif: { IFD0: { ImageDescription: 'secret prompt' } } })
      .toBuffer();
    const out = await blurredPreview(input);
    assert.ok(!out.bytes.includes('secret prompt'));
  });

  it('GIVEN an animated GIF THEN one frame of the animation size', async () => {
    const out = await blurredPreview(await animatedGif(80, 50, ['#f00', '#0f0', '#00f']));
    const meta = await sharp(out.bytes).metadata();
    assert.deepEqual([meta.width, meta.height, meta.pages ?? 1], [80, 50, 1]);
  });
});
