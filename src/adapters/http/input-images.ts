import type { Context } from 'hono';
import { checkInputImage, type ImageInput, MAX_INPUT_BYTES } from '../../core/chat/input-image.ts';
import { ownerKey } from '../../core/jobs/types.ts';
import { checkDestination, guardedRequest } from '../../core/net/url-guard.ts';
import type { UserMessage } from '#shared/i18n.ts';
import type { Env } from './context.ts';
import { type Base64Refusal, decodeImageText } from './base64-image.ts';
import { fail } from './errors.ts';
import { asUpload } from './upload-turn.ts';

/** An input image ready for a job: its bytes and their detected type. */
export interface InputImage {
  bytes: Uint8Array;
  mime: string;
  /** The asset's file name, if it has one (stands in as the prompt of a template taking none). */
  name?: string;
}

const imageRefusal = (c: Context<Env>, message: UserMessage, field: string): Response =>
  message.code === 'chat.image.notAnImage'
    ? fail(c, 422, 'invalid_request', { code: 'http.asset.notAnImage' }, { field })
    : fail(c, 422, 'invalid_request', message, { field });

/**
 * The one HTTP answer to an image the request itself carries (a multipart upload, `image_base64`, a
 * `data:` URL), checked by its bytes: not an image ComfyUI reads → 415, too many pixels or too long a
 * side → 422 saying which. `field` names the JSON field, when there is one.
 */
export async function checkCarriedImage(
  c: Context<Env>,
  input: ImageInput,
  field?: string,
): Promise<{ mime: string } | Response> {
  const checked = await checkInputImage(input);
  if (checked.ok) return checked.value;
  const details = field ? { field } : undefined;
  return checked.error.code === 'chat.image.notAnImage'
    ? fail(c, 415, 'unsupported_media_type', { code: 'http.asset.notAnImage' }, details)
    : fail(c, 422, 'invalid_request', checked.error, details);
}

/**
 * The caller's own asset as a job's input image, checked by its bytes like every front end's input (an
 * asset stored before uploads were checked may be anything).
 */
export async function ownedImage(
  c: Context<Env>,
  assetId: string,
  field: string,
): Promise<InputImage | Response> {
  const { assets } = c.var.deps;
  const record = await assets.get(assetId);
  const bytes = record?.owner === ownerKey(c.var.requester) ? await assets.bytes(record) : undefined;
  if (!record || !bytes)
    return fail(
      c,
      422,
      'missing_asset',
      { code: 'http.asset.missing', params: { id: assetId } },
      { asset_id: assetId },
    );
  const checked = await checkInputImage(bytes);
  if (!checked.ok) return imageRefusal(c, checked.error, field);
  return { bytes, mime: checked.value.mime, ...(record.filePath ? { name: record.filePath } : {}) };
}

/**
 * `image_url` fetched by the server: the destination checked (private addresses refused, at the look-up
 * and again at connect), one request without redirects, size and time bounded, the answer checked to
 * be an image by its bytes. Called only once the request passed its template and quota checks.
 */
export async function fetchedImage(c: Context<Env>, url: string): Promise<InputImage | Response> {
  const allowPrivate = c.var.deps.config.allowPrivateUrls;
  const urlRefusal = (reason: string, details: Record<string, unknown> = {}) =>
    fail(
      c,
      400,
      'invalid_url',
      { code: `http.${reason}`, params: details as Record<string, string> },
      {
        field: 'image_url',
        reason,
        ...details,
      },
    );
  const destination = await checkDestination(url, allowPrivate);
  if (!destination.ok) return urlRefusal(destination.error);
  const got = await guardedRequest(url, { allowPrivate, maxBytes: MAX_INPUT_BYTES, timeoutMs: 15_000 });
  if (!got.ok) return urlRefusal(got.error);
  if (got.value.status !== 200) return urlRefusal('url.status', { status: got.value.status });
  const checked = await checkInputImage(got.value.body);
  if (checked.ok) return { bytes: got.value.body, mime: checked.value.mime };
  if (checked.error.code !== 'chat.image.notAnImage') return imageRefusal(c, checked.error, 'image_url');
  const declared = String(got.value.headers['content-type'] ?? 'no content type')
    .split(';')[0]!
    .slice(0, 100);
  return urlRefusal('url.notImage', { type: declared });
}

const MB = 1024 * 1024;

/** Text that cannot be an accepted image: too long 413 (as an upload), a declared type not taken 415, else 400. */
function textRefusal(c: Context<Env>, why: Base64Refusal, field: string): Response {
  const { uploadMb } = c.var.guards.limits;
  if (why.code === 'tooLarge')
    return fail(c, 413, 'too_large', { code: 'http.asset.tooLarge', params: { mb: uploadMb } }, { field });
  if (why.code === 'dataType') {
    const message = { code: 'http.image.dataType', params: { type: why.type } };
    return fail(c, 415, 'unsupported_media_type', message, { field, type: why.type });
  }
  return fail(c, 400, 'invalid_request', { code: `http.image.${why.code}` }, { field });
}

/**
 * `image_base64` (or a `data:` URL) as a job's input image: an upload in all but transport, so it counts
 * as one (uploads per minute, a slot among the uploads read at once), is refused past `uploadMb` from its
 * length before a byte is decoded (413), and its bytes pass `checkCarriedImage` like a multipart upload's.
 */
export async function carriedImage(
  c: Context<Env>,
  text: string,
  field: string,
): Promise<InputImage | Response> {
  const { uploadMb } = c.var.guards.limits;
  return asUpload(c, async () => {
    const decoded = decodeImageText(text, uploadMb * MB);
    if (!decoded.ok) return textRefusal(c, decoded.error, field);
    const checked = await checkCarriedImage(c, decoded.value, field);
    return checked instanceof Response ? checked : { bytes: decoded.value, mime: checked.mime };
  });
}
