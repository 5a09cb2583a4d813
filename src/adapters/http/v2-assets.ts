import { type Context, Hono } from 'hono';
import { normalizeHash } from '../../core/assets/content-hash.ts';
import { ownerKey } from '../../core/jobs/types.ts';
import { assetContent } from './asset-content.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { readBody } from './json-body.ts';
import { isBlocked } from './output-safety.ts';
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
  const owner = ownerKey(c.var.requester);
  // A blocked output's bytes are never handed out, not even as a copy made from its hash.
  const existing = hash ? await c.var.deps.assets.byHash(owner, hash) : undefined;
  const minted =
    hash && !(existing && isBlocked(existing))
      ? await c.var.deps.assets.fromHash(owner, hash, body.data.file_path, {
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
  return assetContent(c, record);
});

v2Assets.delete('/:id', async (c) => {
  const record = await own(c);
  if (!record) return fail(c, 404, 'not_found', { code: 'http.notFound' });
  await c.var.deps.assets.delete(record.id);
  return c.body(null, 204);
});
