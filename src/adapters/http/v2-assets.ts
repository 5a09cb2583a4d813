import { type Context, Hono } from 'hono';
import { webStream } from './web-stream.ts';
import { normalizeHash } from '../../core/assets/content-hash.ts';
import { ownerKey } from '../../core/jobs/types.ts';
import { assetHeaders } from './asset-headers.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { readBody } from './json-body.ts';
import { parseRange } from './range.ts';
import { AssetFromHashBody } from './schemas.ts';
import { v2Asset } from './to-v2.ts';
import { storageFull, upload } from './uploads.ts';

const MB = 1024 * 1024;

/** Comfy API v2 assets: multipart upload, dedup by hash, metadata, ranged content, delete. */
export const v2Assets = new Hono<Env>();

v2Assets.post('/', upload);

v2Assets.post('/from-hash', async (c) => {
  const body = await readBody(c, AssetFromHashBody, { status: 422, code: 'invalid_request' });
  if (body instanceof Response) return body;
  const hash = normalizeHash(body.data.hash);
  const { limits } = c.var.guards;
  const minted = hash
    ? await c.var.deps.assets.fromHash(ownerKey(c.var.requester), hash, body.data.file_path, {
        bytes: limits.storageMbPerKey * MB,
        count: limits.assetsPerKey,
      })
    : undefined;
  if (!minted) return fail(c, 404, 'blob_not_found', { code: 'http.notFound' });
  if (!minted.ok) return storageFull(c, minted.error.usage);
  return c.json(v2Asset(minted.value, c.var.origin, false), 201);
});

// Hono answers HEAD with the GET route (and drops the body).
v2Assets.get('/by-hash/:hash', async (c) => {
  const hash = normalizeHash(c.req.param('hash'));
  const found = hash ? await c.var.deps.assets.byHash(ownerKey(c.var.requester), hash) : undefined;
  return c.body(null, found ? 200 : 404);
});

const own = async (c: Context<Env>) => {
  const record = await c.var.deps.assets.get(c.req.param('id') ?? '');
  return record && record.owner === ownerKey(c.var.requester) ? record : undefined;
};

v2Assets.get('/:id', async (c) => {
  const record = await own(c);
  if (!record) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  return c.json(v2Asset(record, c.var.origin));
});

v2Assets.get('/:id/content', async (c) => {
  const record = await own(c);
  if (!record) return fail(c, 404, 'not_found', { code: 'http.notFound' });
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
  const stream = c.req.method === 'HEAD' ? undefined : await c.var.deps.assets.open(record, part);
  if (!stream && c.req.method !== 'HEAD') return fail(c, 404, 'not_found', { code: 'http.notFound' });
  headers({ ...partial, 'Content-Length': String(length) });
  const status = part ? 206 : 200;
  return stream ? c.body(webStream(stream), status) : c.body(null, status);
});

v2Assets.delete('/:id', async (c) => {
  const record = await own(c);
  if (!record) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  await c.var.deps.assets.delete(record.id);
  return c.body(null, 204);
});
