import type { Context } from 'hono';
import sharp from 'sharp';
import type { z } from 'zod';
import type { JobRecord, Requester } from '../../core/jobs/types.ts';
import { type GivenImage, type ImagineRequest, planImagine, submitPlan } from '../../core/prompt/index.ts';
import type { Env } from './context.ts';
import { fromUserMessage } from './errors.ts';
import { fetchedImage, ownedImage } from './input-images.ts';
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
 * The checks and submission of `POST /api/relay/imagine`, cheapest first: the body's shape and bounds,
 * the `Idempotency-Key` (a replay answers at once), the webhook's destination, the template and every
 * value (planned with a stand-in when the image is a URL), the quota, and only then the `image_url`
 * fetch, the real plan and the submit. `replayed` is true when the key's earlier jobs are returned.
 */
export async function submitImagine(
  c: Context<Env>,
  requestOf: RequestOf,
): Promise<{ jobs: JobRecord[]; replayed: boolean } | Response> {
  const body = await readBody(c, ImagineBody, { status: 400, code: 'invalid_request' });
  if (body instanceof Response) return body;
  const b = body.data;
  const { app } = c.var.deps;
  const submitted = await submitOnce(c, body.text, async () => {
    const delivery = await deliveryFor(c, b.webhook_url);
    if (delivery instanceof Response) return delivery;
    let image: GivenImage | undefined;
    if (b.image_asset) {
      const owned = await ownedImage(c, b.image_asset, 'image_asset');
      if (owned instanceof Response) return owned;
      image = { bytes: owned.bytes, ...(owned.name ? { name: owned.name } : {}) };
    } else if (b.image_url) {
      const dryRun = await planImagine(app, requestOf(b, c.var.requester, { bytes: await standInImage() }));
      if (!dryRun.ok) return fromUserMessage(c, dryRun.error);
      const overQuota = await quotaPrecheck(c);
      if (overQuota) return overQuota;
      const fetched = await fetchedImage(c, b.image_url);
      if (fetched instanceof Response) return fetched;
      image = { bytes: fetched.bytes };
    }
    const plan = await planImagine(app, requestOf(b, c.var.requester, image));
    if (!plan.ok) return fromUserMessage(c, plan.error);
    const jobs = await submitPlan(app.engine, plan.value, {
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
