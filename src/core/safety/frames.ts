import sharp from 'sharp';

/** The model's input: a square RGB image of this side. */
export const MODEL_SIZE = 224;
export const FRAME_BYTES = MODEL_SIZE * MODEL_SIZE * 3;

/** Which frames of an animation of `pages` frames to look at: evenly spread, first and last included. */
export function sampleFrames(pages: number, maxFrames: number): number[] {
  const n = Math.max(1, Math.min(pages, maxFrames));
  if (n === 1) return [0];
  return [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * (pages - 1)) / (n - 1))))];
}

/**
 * Decodes an image (every sampled frame of an animated one) into the model's input: 224×224 raw RGB,
 * frames back to back in one buffer. The whole picture is squeezed, not cropped, so nothing at an edge
 * escapes the model; transparency is flattened on grey, as a viewer would see it on either theme.
 * Runs in the classifier's worker threads (nsfw-worker.ts), so it is bounded by the pool's size.
 */
export async function modelFrames(
  bytes: Uint8Array,
  maxFrames: number,
): Promise<{ pixels: Uint8Array; frames: number }> {
  const meta = await sharp(bytes).metadata();
  const pages = meta.pages && meta.pages > 1 ? meta.pages : 1;
  const indices = sampleFrames(pages, maxFrames);
  const pixels = new Uint8Array(indices.length * FRAME_BYTES);
  await Promise.all(
    indices.map(async (page, i) => {
      const frame = await sharp(bytes, pages > 1 ? { page } : {})
        .flatten({ background: { r: 128, g: 128, b: 128 } })
        .resize(MODEL_SIZE, MODEL_SIZE, { fit: 'fill', kernel: 'linear' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer();
      if (frame.length !== FRAME_BYTES) throw new Error(`decoded ${frame.length} bytes, want ${FRAME_BYTES}`);
      pixels.set(frame, i * FRAME_BYTES);
    }),
  );
  return { pixels, frames: indices.length };
}
