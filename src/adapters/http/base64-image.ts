import { INPUT_IMAGE_TYPES } from '../../core/chat/input-image.ts';
import { err, ok, type Result } from '#shared/result.ts';

/** Why text sent as an image did not decode to bytes; the bytes themselves are checked afterwards. */
export type Base64Refusal =
  | { code: 'dataUrl' }
  | { code: 'dataType'; type: string }
  | { code: 'base64' }
  | { code: 'tooLarge' };

const ACCEPTED_TYPES = new Set(Object.values(INPUT_IMAGE_TYPES));
/** `data:<type>[;param…];base64,` — the type may be empty; only base64 data is taken. */
const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*),/i;
/** Both alphabets (standard and URL-safe), padding optional; whitespace is dropped before the test. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export const isDataUrl = (text: string): boolean => /^data:/i.test(text);

/** How many bytes base64 text of `length` characters (padding included) decodes to. */
export function decodedSize(length: number, padding: number): number {
  return Math.floor((length * 3) / 4) - padding;
}

/** Characters of base64 (padded) for `bytes` bytes. */
export const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;

/**
 * Base64 text, or a `data:` URL carrying it, as bytes, refused before anything is decoded when it
 * cannot be an accepted image: a `data:` URL that is not base64 or declares a type other than PNG,
 * JPEG, WebP or GIF, text that is not base64, or text whose decoded size (known from its length)
 * passes `maxBytes`. The declared type is a claim only: the caller checks the bytes like any image.
 */
export function decodeImageText(text: string, maxBytes: number): Result<Uint8Array, Base64Refusal> {
  let data = text;
  if (isDataUrl(text)) {
    const head = DATA_URL.exec(text.slice(0, 300));
    const params = head?.[2]?.toLowerCase().split(';') ?? [];
    if (!head || !params.includes('base64')) return err({ code: 'dataUrl' });
    const type = head[1]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.has(type)) return err({ code: 'dataType', type: type.slice(0, 100) || 'none' });
    data = text.slice(head[0].length);
  }
  if (/\s/.test(data)) data = data.replace(/\s+/g, '');
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const malformed = !BASE64.test(data) || data.length % 4 === 1 || (padding > 0 && data.length % 4 !== 0);
  if (malformed) return err({ code: 'base64' });
  if (decodedSize(data.length, padding) > maxBytes) return err({ code: 'tooLarge' });
  return ok(Buffer.from(data, 'base64'));
}
