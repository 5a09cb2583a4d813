import type { UserMessage } from '#shared/i18n.ts';
import { ok, type Result } from '#shared/result.ts';
import type { DeliveryTarget, JobRecord, JobRequest, Requester } from '../jobs/types.ts';
import type { ImaginePlan } from './imagine-request.ts';

/** The part of the job engine a plan needs: admission (quota included) happens in `submit`. */
export interface PlanEngine {
  submit(input: {
    requester: Requester;
    request: JobRequest;
    delivery?: DeliveryTarget;
    idempotencyKey?: string;
    inputImage?: { bytes: Uint8Array; mime: string };
  }): Promise<Result<JobRecord, UserMessage>>;
  cancel(id: string, by: Requester): Promise<unknown>;
}

export interface PlanSubmission {
  requester: Requester;
  /**
   * Where job `index` of `total` is shown. Called just before each submit, so a front end can open a
   * status message per repeat (a Discord followup); each job gets its own copy.
   */
  delivery?: (
    index: number,
    total: number,
  ) => DeliveryTarget | undefined | Promise<DeliveryTarget | undefined>;
  /** The platform event's id; repeats add `#2`, `#3`…, so a redelivered event makes the same jobs again. */
  idempotencyKey?: string;
  /** Each job as soon as it is queued (progress can start before the last repeat is in). */
  onQueued?(job: JobRecord, index: number): void;
  /** Asked before each submit: true stops (Ctrl-C), keeping the jobs already queued. */
  stop?(): boolean;
}

/**
 * Submits every request of a plan in order. A refusal (quota, no capable backend) cancels the jobs
 * this plan already queued, so nothing is half done, and is returned as the one answer.
 */
export async function submitPlan(
  engine: PlanEngine,
  plan: Pick<ImaginePlan, 'requests' | 'image'>,
  how: PlanSubmission,
): Promise<Result<JobRecord[], UserMessage>> {
  const jobs: JobRecord[] = [];
  const inputImage = plan.image ? { bytes: plan.image.bytes, mime: plan.image.mime } : undefined;
  for (const [index, request] of plan.requests.entries()) {
    if (how.stop?.()) break;
    const delivery = await how.delivery?.(index, plan.requests.length);
    const key = how.idempotencyKey;
    const submitted = await engine.submit({
      requester: how.requester,
      request,
      ...(delivery ? { delivery: { ...delivery } } : {}),
      ...(key ? { idempotencyKey: index === 0 ? key : `${key}#${index + 1}` } : {}),
      ...(inputImage ? { inputImage } : {}),
    });
    if (!submitted.ok) {
      await Promise.all(jobs.map((j) => engine.cancel(j.id, how.requester).catch(() => undefined)));
      return submitted;
    }
    jobs.push(submitted.value);
    how.onQueued?.(submitted.value, index);
  }
  return ok(jobs);
}
