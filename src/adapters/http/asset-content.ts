import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { AssetRecord } from '../../core/assets/asset-store.ts';
import { assetHeaders, downloadName } from './asset-headers.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { blurredBytes, isBlocked, isBlurred } from './output-safety.ts';
import { parseRange } from './range.ts';
import './safety-messages.ts';
import { webStream } from './web-stream.ts';

type Opener = (range?: { start: number; end: number }) => Promise<Readable | undefined>;

/**
 * An asset's bytes, whole or by a single range, as the safety stage decided: a blocked output to nobody
 * (403, `safety_blocked`), a blurred one blurred unless `?original=1` (assets are their owner's alone,
 * so only the key that made the job gets the original), everything else as stored.
 */
export async function assetContent(c: Context<Env>, record: AssetRecord): Promise<Response> {
  if (isBlocked(record)) {
    const rule = record.safety?.rule ?? 'unknown';
    return fail(c, 403, 'safety_blocked', { code: 'http.safety.blocked', params: { rule } }, { rule });
  }
  if (isBlurred(record) && c.req.query('original') !== '1') {
    const { assets } = c.var.deps;
    const bytes = await blurredBytes(record.id, () => assets.bytes(record));
    if (!bytes) return fail(c, 404, 'not_found', { code: 'http.notFound' });
    const name = `${downloadName(record.filePath, record.id).replace(/\.[^.]*$/, '')}.blurred.jpg`;
    const shown = { ...record, contentType: 'image/jpeg', filePath: name, size: bytes.length };
    return send(c, shown, async (r) => Readable.from([r ? bytes.subarray(r.start, r.end + 1) : bytes]));
  }
  return send(c, record, (range) => c.var.deps.assets.open(record, range));
}

async function send(c: Context<Env>, record: AssetRecord, open: Opener): Promise<Response> {
  const size = record.size;
  const range = parseRange(c.req.header('range'), size);
  const headers = (extra: Record<string, string> = {}) => {
    for (const [name, value] of Object.entries({ ...assetHeaders(record), ...extra })) c.header(name, value);
    c.header('Accept-Ranges', 'bytes');
    c.header('Cache-Control', 'private, max-age=86400, immutable');
  };
  if (range === 'unsatisfiable') {
    headers({ 'Content-Range': `bytes */${size}` });
    return c.body(null, 416);
  }
  const part = range === 'none' ? undefined : range;
  const length = part ? part.end - part.start + 1 : size;
  const partial: Record<string, string> = part
    ? { 'Content-Range': `bytes ${part.start}-${part.end}/${size}` }
    : {};
  // Hono answers HEAD with this route and drops the body: no file is opened for it.
  const stream = c.req.method === 'HEAD' ? undefined : await open(part);
  if (!stream && c.req.method !== 'HEAD') return fail(c, 404, 'not_found', { code: 'http.notFound' });
  headers({ ...partial, 'Content-Length': String(length) });
  const status = part ? 206 : 200;
  return stream ? c.body(webStream(stream), status) : c.body(null, status);
}
