import type { Context } from 'hono';
import sharp from 'sharp';
import type { z } from 'zod';
import type { JobRecord, Requester } from '../../core/jobs/types.ts';
import {
  type GivenImage,
  type ImagineContext,
  type ImagineRequest,
  planImagine,
  submitPlan,
} from '../../core/prompt/index.ts';
import { isDataUrl } from './base64-image.ts';
import type { Env } from './context.ts';
import { fail, fromUserMessage } from './errors.ts';
import { carriedImage, fetchedImage, ownedImage } from './input-images.ts';
import { deliveryFor } from './jobs-common.ts';
import { readBody } from './json-body.ts';
import { quotaPrecheck } from './quota-precheck.ts';
import { ImagineBody } from './schemas.ts';
import { reuseRefusal, submitOnce } from './submit-once.ts';

export type ImagineBodyData = z.infer<typeof ImagineBody>;
export type RequestOf = (body: ImagineBodyData, requester: Requester, image?: GivenImage) => ImagineRequest;

let standIn: Promise<Buffer> | undefined;
/** A small real image that stands in for an `image_url` not fetched yet, to check everything else first. */
const standInImage = () =>
  (standIn ??= sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
    .png()
    .toBuffer());

/**
 * The body without its carried image must fit `http.limits.jsonKb` like any JSON body: the server's body
 * limit for this route leaves room for one image of `uploadMb` as base64 besides, and only for that.
 */
function jsonPartOverLimit(c: Context<Env>, read: { value: unknown; text: string }): Response | undefined {
  const { jsonKb } = c.var.guards.limits;
  const v = Object(read.value) as Record<string, unknown>;
  const carried = [v['image_base64'], v['image_url']].filter(
    (s): s is string => typeof s === 'string' && (s === v['image_base64'] || isDataUrl(s)),
  );
  const imageChars = carried.reduce((n, s) => n + s.length, 0);
  if (Buffer.byteLength(read.text) - imageChars <= jsonKb * 1024) return undefined;
  return fail(c, 413, 'too_large', { code: 'http.body.tooLarge', params: { size: `${jsonKb} KB` } });
}

/**
 * The checks and submission of `POST /api/relay/imagine`, cheapest first: the body's shape and bounds,
 * one input image at most, the `Idempotency-Key` (a replay answers at once), the webhook's destination,
 * an image carried in the body (`image_base64` or a `data:` URL, checked like an upload), the template
 * and every value (planned with a stand-in when the image is a URL), the quota, and only then the
 * `image_url` fetch, the real plan and the submit. `replayed` is true when the key's earlier jobs are returned.
 */
export async function submitImagine(
  c: Context<Env>,
  requestOf: RequestOf,
): Promise<{ jobs: JobRecord[]; replayed: boolean } | Response> {
  const body = await readBody(c, ImagineBody, { status: 400, code: 'invalid_request' }, (read) =>
    jsonPartOverLimit(c, read),
  );
  if (body instanceof Response) return body;
  const b = body.data;
  if ([b.image_base64, b.image_url, b.image_asset].filter((v) => v !== undefined).length > 1)
    return fail(c, 400, 'invalid_request', { code: 'http.image.oneSource' });
  // The templates, the pool's capability check, and the backends' installed models with the operator's
  // `models:` section, so `--model`/`model` naming a checkpoint works as in chat and on the command line.
  const context: ImagineContext = c.var.deps.templates.imagine;
  const carried =
    b.image_base64 !== undefined
      ? 'image_base64'
      : b.image_url && isDataUrl(b.image_url)
        ? 'image_url'
        : undefined;
  const submitted = await submitOnce(c, body.text, async () => {
    const delivery = await deliveryFor(c, b.webhook_url);
    if (delivery instanceof Response) return delivery;
    let image: GivenImage | undefined;
    if (b.image_asset) {
      const owned = await ownedImage(c, b.image_asset, 'image_asset');
      if (owned instanceof Response) return owned;
      image = { bytes: owned.bytes, ...(owned.name ? { name: owned.name } : {}) };
    } else if (carried) {
      const given = await carriedImage(c, b[carried]!, carried);
      if (given instanceof Response) return given;
      image = { bytes: given.bytes };
    } else if (b.image_url) {
      const dryRun = await planImagine(
        context,
        requestOf(b, c.var.requester, { bytes: await standInImage() }),
      );
      if (!dryRun.ok) return fromUserMessage(c, dryRun.error);
      const overQuota = await quotaPrecheck(c);
      if (overQuota) return overQuota;
      const fetched = await fetchedImage(c, b.image_url);
      if (fetched instanceof Response) return fetched;
      image = { bytes: fetched.bytes };
    }
    const plan = await planImagine(context, requestOf(b, c.var.requester, image));
    if (!plan.ok) return fromUserMessage(c, plan.error);
    const jobs = await submitPlan(c.var.deps.jobs, plan.value, {
      requester: c.var.requester,
      delivery: () => delivery,
    });
    return jobs.ok ? jobs.value : fromUserMessage(c, jobs.error);
  });
  if (submitted instanceof Response) return submitted;
  if (submitted.replayed && (!submitted.same || submitted.jobs.length === 0))
    return reuseRefusal(c, submitted);
  return { jobs: submitted.jobs, replayed: submitted.replayed };
}
