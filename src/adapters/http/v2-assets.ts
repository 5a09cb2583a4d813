import { type Context, Hono } from 'hono';
import { ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { parseRange } from './range.ts';
import { AssetFromHashBody } from './schemas.ts';
import { v2Asset } from './to-v2.ts';

const MAX_UPLOAD_MB = 50;

/** Comfy API v2 assets: multipart upload, dedup by hash, metadata, ranged content, delete. */
export const v2Assets = new Hono<Env>();

v2Assets.post('/', async (c) => {
  const form = await c.req.parseBody({ all: true }).catch(() => undefined);
  const file = form?.['file'];
  if (!(file instanceof File))
    return fail(c, 422, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: 'file: expected a file part' },
    });
  if (file.size > MAX_UPLOAD_MB * 1024 * 1024)
    return fail(c, 413, 'too_large', { code: 'http.asset.tooLarge', params: { mb: MAX_UPLOAD_MB } });
  const field = (k: string) => (typeof form?.[k] === 'string' ? (form[k] as string) : undefined);
  const owner = ownerKey(c.var.requester);
  const { assets } = c.var.deps;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const declared = field('expected_hash');
  const contentType = field('content_type') ?? (file.type || 'application/octet-stream');
  const record = await assets.put({
    owner,
    bytes,
    contentType,
    filePath: field('file_path') ?? file.name,
    declaredHash: declared,
  });
  return c.json(v2Asset(record, c.var.origin, true), 201);
});

v2Assets.post('/from-hash', async (c) => {
  const body = AssetFromHashBody.safeParse(await c.req.json().catch(() => undefined));
  if (!body.success)
    return fail(c, 422, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: body.error.message },
    });
  const record = await c.var.deps.assets.fromHash(
    ownerKey(c.var.requester),
    body.data.hash,
    body.data.file_path,
  );
  if (!record) return fail(c, 404, 'blob_not_found', { code: 'http.notFound' });
  return c.json(v2Asset(record, c.var.origin, false), 201);
});

// Hono answers HEAD with the GET route (and drops the body).
v2Assets.get('/by-hash/:hash', async (c) => {
  const found = await c.var.deps.assets.byHash(ownerKey(c.var.requester), c.req.param('hash'));
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
  const bytes = record ? await c.var.deps.assets.bytes(record) : undefined;
  if (!record || !bytes) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  c.header('Accept-Ranges', 'bytes');
  c.header('Content-Type', record.contentType);
  c.header('Cache-Control', 'private, max-age=86400, immutable');
  c.header(
    'Content-Disposition',
    `inline; filename="${(record.filePath ?? record.id).split('/').pop()?.replace(/"/g, '') ?? record.id}"`,
  );
  const range = parseRange(c.req.header('range'), bytes.length);
  if (range === 'unsatisfiable') {
    c.header('Content-Range', `bytes */${bytes.length}`);
    return c.body(null, 416);
  }
  if (range === 'none') return c.body(new Uint8Array(bytes), 200);
  c.header('Content-Range', `bytes ${range.start}-${range.end}/${bytes.length}`);
  return c.body(new Uint8Array(bytes.subarray(range.start, range.end + 1)), 206);
});

v2Assets.delete('/:id', async (c) => {
  const record = await own(c);
  if (!record) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  await c.var.deps.assets.delete(record.id);
  return c.body(null, 204);
});
