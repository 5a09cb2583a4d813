import sharp, { type Metadata } from 'sharp';
import type { UserMessage } from '../../shared/i18n.ts';
import { err, ok, type Result } from '../../shared/result.ts';

export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
export const MAX_INPUT_SIDE = 8192;
const FORMATS: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

/**
 * Checks an attachment meant as an input image by its bytes, not its name or declared type: a PDF renamed
 * to .png, a zip, or a 50,000-pixel image is refused with a message that says which.
 */
export async function checkInputImage(
  bytes: Uint8Array,
): Promise<Result<{ mime: string; width: number; height: number }, UserMessage>> {
  if (bytes.byteLength > MAX_INPUT_BYTES) {
    return err({ code: 'chat.image.tooBig', params: { mb: Math.round(MAX_INPUT_BYTES / 2 ** 20) } });
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_SIDE * MAX_INPUT_SIDE }).metadata();
  } catch {
    return err({ code: 'chat.image.notAnImage' });
  }
  const mime = meta.format ? FORMATS[meta.format] : undefined;
  if (!mime || !meta.width || !meta.height) return err({ code: 'chat.image.notAnImage' });
  if (meta.width > MAX_INPUT_SIDE || meta.height > MAX_INPUT_SIDE) {
    return err({
      code: 'chat.image.tooLarge',
      params: { max: MAX_INPUT_SIDE, width: meta.width, height: meta.height },
    });
  }
  return ok({ mime, width: meta.width, height: meta.height });
}
