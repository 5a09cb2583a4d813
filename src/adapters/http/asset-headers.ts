import { create as contentDisposition } from 'content-disposition';
import type { AssetRecord } from '../../core/assets/asset-store.ts';

/** Types a browser may show or play in place: raster images, videos and audio, which cannot run script. */
const INLINE_TYPES = new Set([
  ...['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'],
  ...['video/mp4', 'video/webm', 'audio/flac', 'audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/x-wav'],
]);
const MIME = /^[\w.+-]+\/[\w.+-]+$/;

/** A stored content type as a header value: a bare `type/subtype`, else `application/octet-stream`. */
export function safeContentType(contentType: string): string {
  const bare = contentType.split(';')[0]!.trim().toLowerCase();
  return MIME.test(bare) ? bare : 'application/octet-stream';
}

/** The last path segment of a name, without control characters; `fallback` when nothing is left. */
export function downloadName(filePath: string | undefined, fallback: string): string {
  const last = (filePath ?? '')
    .split(/[/\\]/)
    .pop()
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return last ? last.slice(0, 255) : fallback;
}

/**
 * Headers for an asset's bytes. Every asset is served as a sandboxed document with `nosniff`, so even a
 * file a client managed to store as HTML cannot run script on this origin (where the page keeps its
 * key); anything but a raster image, a video or audio is an `attachment`. The file name goes in RFC 6266/5987 form with
 * an ASCII fallback, so Chinese (and any other) names download intact.
 */
export function assetHeaders(
  record: Pick<AssetRecord, 'contentType' | 'filePath' | 'id'>,
): Record<string, string> {
  const type = safeContentType(record.contentType);
  const disposition = INLINE_TYPES.has(type) ? 'inline' : 'attachment';
  return {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'",
    'Content-Disposition': contentDisposition(downloadName(record.filePath, record.id), {
      type: disposition,
    }),
  };
}
