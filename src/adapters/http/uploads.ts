import type { Context, MiddlewareHandler } from 'hono';
import { contentHash, normalizeHash } from '../../core/assets/content-hash.ts';
import type { OwnerUsage } from '../../core/assets/asset-store.ts';
import { checkInputImage } from '../../core/chat/input-image.ts';
import { ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { fail, tooMany } from './errors.ts';
import { issuesText } from './json-body.ts';
import { UploadFields } from './schemas.ts';
import { v2Asset } from './to-v2.ts';

const MB = 1024 * 1024;

/**
 * Before an upload's body is read: uploads per key per minute, and a slot among the few bodies the
 * process reads at once (each is buffered), held until the answer is made.
 */
export const uploadGate: MiddlewareHandler<Env> = async (c, next) => {
  const { guards } = c.var;
  const rate = guards.uploadRate.take(ownerKey(c.var.requester));
  if (!rate.ok)
    return tooMany(c, rate.retryAfterS, {
      code: 'http.rate.uploads',
      params: { limit: guards.limits.uploadsPerMinute, seconds: rate.retryAfterS },
    });
  const release = guards.uploadSlots.acquire();
  if (!release) return tooMany(c, 2, { code: 'http.rate.uploadsBusy' });
  try {
    await next();
  } finally {
    release();
  }
};

/**
 * `POST /api/v2/assets` (behind `uploadGate`), with a storage quota per key. The file must be an image
 * ComfyUI reads, judged by its bytes: the stored content type is the detected one, whatever the client
 * declared. `expected_hash` (blake3) is verified, a mismatch refused with 409 `hash_mismatch` and
 * nothing stored.
 */
export function upload(c: Context<Env>): Promise<Response> {
  return store(c, ownerKey(c.var.requester));
}

async function store(c: Context<Env>, owner: string): Promise<Response> {
  const { limits } = c.var.guards;
  const form = await c.req.parseBody({ all: true }).catch(() => undefined);
  const file = form?.['file'];
  if (!(file instanceof File))
    return fail(c, 422, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: 'file: expected one file part' },
    });
  const text = (k: string) => (typeof form?.[k] === 'string' ? form[k] : undefined);
  const fields = UploadFields.safeParse({
    file_path: text('file_path'),
    content_type: text('content_type'),
    expected_hash: text('expected_hash'),
  });
  if (!fields.success)
    return fail(c, 422, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: issuesText(fields.error) },
    });
  if (file.size > limits.uploadMb * MB)
    return fail(c, 413, 'too_large', { code: 'http.asset.tooLarge', params: { mb: limits.uploadMb } });
  const expected = fields.data.expected_hash;
  const wanted = expected === undefined ? undefined : normalizeHash(expected);
  if (expected !== undefined && !wanted)
    return fail(c, 422, 'invalid_request', { code: 'http.asset.hashInvalid' });

  const bytes = new Uint8Array(await file.arrayBuffer());
  const image = await checkInputImage(bytes);
  if (!image.ok)
    return image.error.code === 'chat.image.notAnImage'
      ? fail(c, 415, 'unsupported_media_type', { code: 'http.asset.notAnImage' })
      : fail(c, 422, 'invalid_request', image.error);
  const hash = await contentHash(bytes);
  if (wanted && wanted !== hash)
    return fail(
      c,
      409,
      'hash_mismatch',
      { code: 'http.asset.hashMismatch', params: { actual: hash, expected: wanted } },
      { expected_hash: wanted, actual_hash: hash },
    );
  const fromName = file.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  const filePath = fields.data.file_path ?? (fromName || undefined);
  const put = await c.var.deps.assets.putUpload(
    { owner, bytes, hash, contentType: image.value.mime, filePath },
    { bytes: limits.storageMbPerKey * MB, count: limits.assetsPerKey },
  );
  if (!put.ok) return storageFull(c, put.error.usage);
  return c.json(v2Asset(put.value, c.var.origin, true), 201);
}

/** The storage quota's refusal: room frees when the oldest upload expires (or on delete). */
export function storageFull(c: Context<Env>, usage: OwnerUsage): Response {
  const { limits } = c.var.guards;
  const wait = usage.nextExpiry ? (usage.nextExpiry - Date.now()) / 1000 : 3600;
  return tooMany(
    c,
    wait,
    {
      code: 'http.asset.storageFull',
      params: {
        usedMb: Math.round((usage.bytes / MB) * 10) / 10,
        count: usage.count,
        limitMb: limits.storageMbPerKey,
        limitCount: limits.assetsPerKey,
      },
    },
    'storage_quota_exceeded',
  );
}
