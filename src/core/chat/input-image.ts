import sharp, { type Metadata } from 'sharp';
import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';

export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
export const MAX_INPUT_SIDE = 8192;
/** Decoding stops past this many pixels (sharp's `limitInputPixels`): a small file claiming 20000×20000 is a bomb. */
export const MAX_INPUT_PIXELS = MAX_INPUT_SIDE * MAX_INPUT_SIDE;
/** The raster formats ComfyUI's LoadImage reads, by sharp's format name. */
export const INPUT_IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

/** Bytes in memory, or a file of `size` bytes (an upload streamed to disk, never read whole). */
export type ImageInput = Uint8Array | { path: string; size: number };
const source = (input: ImageInput) => (input instanceof Uint8Array ? input : input.path);

/** Reads the header only, whatever size it claims, so an oversized image is named as such. */
const header = (input: ImageInput) => sharp(source(input), { limitInputPixels: false, animated: false });
const decoder = (input: ImageInput) =>
  sharp(source(input), { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });

/**
 * Checks a file meant as an input image by its bytes, never its name or declared type, for every front
 * end (chat attachments, HTTP uploads, image URLs, the command line): a PDF renamed to .png, HTML behind
 * a PNG signature, SVG, an empty file, a 50,000-pixel side or a decompression bomb is refused with a
 * message that says which. The whole image is decoded (to a thumbnail, so memory stays small), so a
 * valid header over garbage is caught too.
 */
export async function checkInputImage(
  bytes: ImageInput,
): Promise<Result<{ mime: string; width: number; height: number }, UserMessage>> {
  const size = bytes instanceof Uint8Array ? bytes.byteLength : bytes.size;
  if (size > MAX_INPUT_BYTES) {
    return err({ code: 'chat.image.tooBig', params: { mb: Math.round(MAX_INPUT_BYTES / 2 ** 20) } });
  }
  if (size === 0) return err({ code: 'chat.image.notAnImage' });
  let meta: Metadata;
  try {
    meta = await header(bytes).metadata();
  } catch {
    return err({ code: 'chat.image.notAnImage' });
  }
  const mime = meta.format ? INPUT_IMAGE_TYPES[meta.format] : undefined;
  if (!mime || !meta.width || !meta.height) return err({ code: 'chat.image.notAnImage' });
  if (meta.width > MAX_INPUT_SIDE || meta.height > MAX_INPUT_SIDE) {
    return err({
      code: 'chat.image.tooLarge',
      params: { max: MAX_INPUT_SIDE, width: meta.width, height: meta.height },
    });
  }
  try {
    await decoder(bytes).resize(32, 32, { fit: 'inside' }).raw().toBuffer();
  } catch {
    return err({ code: 'chat.image.notAnImage' });
  }
  return ok({ mime, width: meta.width, height: meta.height });
}
