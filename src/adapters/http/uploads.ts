import type { Context, MiddlewareHandler } from 'hono';
import { normalizeHash } from '../../core/assets/content-hash.ts';
import type { OwnerUsage, StorageQuota } from '../../core/assets/asset-store.ts';
import type { StagedBlob } from '../../core/blobs/blob-store.ts';
import { ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { fail, tooMany } from './errors.ts';
import { checkCarriedImage } from './input-images.ts';
import { issuesText } from './json-body.ts';
import { streamUpload } from './multipart-upload.ts';
import { UploadFields } from './schemas.ts';
import { asUpload } from './upload-turn.ts';
import { v2Asset } from './to-v2.ts';

const MB = 1024 * 1024;

/**
 * Before an upload's body is read: uploads per key per minute, and a slot among the uploads the process
 * reads at once (each streams to disk), held until the answer is made.
 */
export const uploadGate: MiddlewareHandler<Env> = (c, next) => asUpload(c, next);

/**
 * `POST /api/v2/assets` (behind `uploadGate`), with a storage quota per key. The body is streamed: the
 * file goes to disk as it arrives, hashed on the way, refused with 413 once past `uploadMb`. The file must
 * be an image ComfyUI reads, judged by its bytes (read from disk, not memory): the stored content type is
 * the detected one, whatever the client declared. `expected_hash` (blake3) is verified, a mismatch
 * refused with 409 `hash_mismatch` and nothing stored.
 */
export async function upload(c: Context<Env>): Promise<Response> {
  const owner = ownerKey(c.var.requester);
  const { limits } = c.var.guards;
  const quota: StorageQuota = { bytes: limits.storageMbPerKey * MB, count: limits.assetsPerKey };
  const tooLarge = () =>
    fail(c, 413, 'too_large', { code: 'http.asset.tooLarge', params: { mb: limits.uploadMb } });
  // A body that cannot fit is refused before a byte of it is read.
  if (Number(c.req.header('content-length') ?? 0) > limits.uploadMb * MB + MB) return tooLarge();
  const usage = await c.var.deps.assets.usage(owner);
  if (usage.bytes >= quota.bytes || usage.count >= quota.count) return storageFull(c, usage);
  // Under Node the request itself is read (no web-stream round trip); nothing before read its body.
  const read = await streamUpload(
    c.env?.incoming ?? c.req.raw.body,
    c.req.header('content-type'),
    c.var.deps.uploads,
    limits.uploadMb * MB,
  );
  if (!read.ok)
    return read.error.code === 'tooLarge'
      ? tooLarge()
      : fail(c, 422, 'invalid_request', {
          code: 'http.badRequest',
          params: { details: 'file: expected one file part' },
        });
  const { staged } = read.value.file;
  const kept = await keep(c, owner, quota, read.value.fields, read.value.file.name, staged).catch(
    async (error: unknown) => {
      await staged.discard();
      throw error;
    },
  );
  if (kept.status !== 201) await staged.discard();
  return kept;
}

async function keep(
  c: Context<Env>,
  owner: string,
  quota: StorageQuota,
  form: Map<string, string | undefined>,
  fileName: string,
  staged: StagedBlob,
): Promise<Response> {
  const fields = UploadFields.safeParse({
    file_path: form.get('file_path'),
    content_type: form.get('content_type'),
    expected_hash: form.get('expected_hash'),
  });
  if (!fields.success)
    return fail(c, 422, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: issuesText(fields.error) },
    });
  const expected = fields.data.expected_hash;
  const wanted = expected === undefined ? undefined : normalizeHash(expected);
  if (expected !== undefined && !wanted)
    return fail(c, 422, 'invalid_request', { code: 'http.asset.hashInvalid' });
  const image = await checkCarriedImage(
    c,
    staged.path ? { path: staged.path, size: staged.size } : await staged.read(),
  );
  if (image instanceof Response) return image;
  if (wanted && wanted !== staged.hash)
    return fail(
      c,
      409,
      'hash_mismatch',
      { code: 'http.asset.hashMismatch', params: { actual: staged.hash, expected: wanted } },
      { expected_hash: wanted, actual_hash: staged.hash },
    );
  const put = await c.var.deps.assets.putUpload(
    {
      owner,
      staged,
      contentType: image.mime,
      filePath: fields.data.file_path ?? (fileName || undefined),
      ...(c.var.requester.communityId ? { community: c.var.requester.communityId } : {}),
    },
    quota,
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
