import { assetJson, hashOf } from './assets.ts';
import { type Req, type Res, readForm, readJson, sendError, sendJson } from './http.ts';
import type { CloudContext } from './job-routes.ts';

/** POST /api/v2/assets: multipart, metadata before the file, verified against `expected_hash`. */
export async function postAsset(ctx: CloudContext, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const file = form?.get('file');
  if (!(file instanceof Blob))
    return sendError(res, 422, { code: 'invalid_request', message: 'file: required' });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const expected = form?.get('expected_hash');
  if (typeof expected === 'string' && expected !== hashOf(bytes))
    return sendError(res, 409, { code: 'hash_mismatch', message: 'bytes do not match expected_hash' });
  const contentType = String(form?.get('content_type') ?? 'application/octet-stream');
  const filePath = String(form?.get('file_path') ?? 'upload.bin');
  ctx.stats.uploads++;
  const { record, createdNew } = ctx.assets.put(bytes, contentType, filePath);
  sendJson(res, createdNew ? 201 : 200, assetJson(record, ctx.origin, createdNew));
}

/** The signed URL a download redirects to: a second origin that expects no key at all. */
export function signedUrl(ctx: CloudContext, id: string): string {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${ctx.signedOrigin}/signed/${id}?X-Goog-Date=${date}&X-Goog-Expires=900&X-Goog-Signature=fake`;
}

export async function assetRoute(ctx: CloudContext, req: Req, res: Res, rest: string): Promise<void> {
  if (req.method === 'POST' && rest === '') return postAsset(ctx, req, res);
  if (req.method === 'POST' && rest === '/from-hash') {
    const body = await readJson(req);
    const hash = typeof body?.hash === 'string' ? body.hash : '';
    const record = ctx.assets.fromHash(
      hash,
      typeof body?.file_path === 'string' ? body.file_path : undefined,
    );
    if (!record) return sendError(res, 404, { code: 'blob_not_found', message: 'no such blob' });
    return sendJson(res, 201, assetJson(record, ctx.origin, false));
  }
  const byHash = /^\/by-hash\/(.+)$/.exec(rest);
  if (req.method === 'HEAD' && byHash) {
    res.writeHead(ctx.assets.hasBlob(decodeURIComponent(byHash[1]!)) ? 200 : 404);
    return void res.end();
  }
  const m = /^\/([^/]+)(\/content)?$/.exec(rest);
  const record = m ? ctx.assets.get(m[1]!) : undefined;
  if (!m || !record)
    return sendError(res, 404, { code: 'asset_not_found', message: `no such asset${ctx.echo(req)}` });
  if (req.method === 'DELETE' && !m[2]) {
    ctx.assets.delete(record.id);
    res.writeHead(204);
    return void res.end();
  }
  if (req.method !== 'GET') return sendError(res, 405);
  if (!m[2]) return sendJson(res, 200, assetJson(record, ctx.origin));
  if (ctx.options.redirectDownloads) {
    res.writeHead(302, { location: signedUrl(ctx, record.id) });
    return void res.end();
  }
  res.writeHead(200, { 'content-type': record.contentType, 'content-length': record.bytes.length });
  res.end(record.bytes);
}
