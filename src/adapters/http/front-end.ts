import type { AssetRecord, AssetStore } from '../../core/assets/asset-store.ts';
import type { ApiKeys } from '../../core/keys/api-keys.ts';
import type { FrontEnd, JobResult } from '../../core/jobs/ports.ts';
import type { Logger } from '../../core/logger.ts';
import { isTerminal, type JobRecord, type JobUpdate } from '../../core/jobs/types.ts';
import { deliverWebhook } from '../../core/webhooks/deliver.ts';
import type { EventLog } from './event-log.ts';
import { rememberBlurred, type SafetyMinimum } from './output-safety.ts';
import { type JobPlaces, v2Job, v2Output, v2Progress, v2Status } from './to-v2.ts';

/** What an HTTP job stores in its delivery target. */
export interface HttpDelivery {
  [key: string]: unknown;
  platform: 'http';
  keyId?: string;
  webhook?: string;
  /** The key tier's floor for unsafe outputs (read by the core's safety stage). */
  safetyMinimum?: SafetyMinimum;
  origin: string;
  locale: 'en' | 'zh';
}

export interface HttpFrontEndOptions {
  /** Where jobs wait (a webhook's job has its `queue_position`). */
  jobs: JobPlaces;
  assets: AssetStore;
  keys: Pick<ApiKeys, 'get'>;
  events: EventLog;
  log: Logger;
  /** `http.allowPrivateUrls`: whether webhooks may be posted to private addresses. */
  allowPrivateUrls: boolean;
  /** Retry schedule for webhooks (tests shorten it). */
  webhookDelayMs?: number;
  /** Time between a running job's progress events (default 500 ms; tests shorten it). */
  progressIntervalMs?: number;
}

/**
 * The HTTP front end the engine talks to: updates become numbered SSE events (about two a second),
 * results become assets, and a job's end is posted to its webhook.
 */
export class HttpFrontEnd implements FrontEnd {
  readonly platform = 'http' as const;
  readonly canceling = new Set<string>();
  readonly #o: HttpFrontEndOptions;
  readonly #last = new Map<string, string>();
  readonly webhooks: Promise<unknown>[] = [];

  constructor(options: HttpFrontEndOptions) {
    this.#o = options;
  }

  /**
   * Progress and previews about twice a second; a job's end at once. HTTP has no edit limit to respect,
   * and a `?wait=true` client is answered on that last event (it was held up to 500 ms behind the
   * previous update before).
   */
  updateIntervalMs(job: JobRecord): number {
    return isTerminal(job.state) ? 0 : (this.#o.progressIntervalMs ?? 500);
  }

  update(u: JobUpdate): Promise<void> | void {
    const { job } = u;
    const { events } = this.#o;
    if (isTerminal(job.state)) return this.#finish(job);
    const status = { status: v2Status(job, this.canceling.has(job.id)), queue_position: u.position ?? null };
    const key = JSON.stringify(status);
    if (this.#last.get(job.id) !== key) {
      this.#last.set(job.id, key);
      events.append(job.id, 'status', status);
    }
    const progress = job.state === 'running' ? v2Progress(job, u.progress) : null;
    if (progress) events.append(job.id, 'progress', { ...progress, eta_ms: u.progress?.etaMs ?? null });
    if (u.preview) {
      events.append(job.id, 'preview', {
        node_id: u.progress?.node ?? '',
        content_type: u.preview.mime,
        data_base64: Buffer.from(u.preview.data).toString('base64'),
      });
    }
  }

  /**
   * Stores every output (files and texts) as assets of the job's owner, each with its safety decision;
   * safe to call again.
   */
  async deliver(job: JobRecord, result: JobResult): Promise<void> {
    const { assets } = this.#o;
    const records: AssetRecord[] = [];
    const community = job.owner.communityId ? { community: job.owner.communityId } : {};
    for (const f of result.files) {
      // The decision is kept with the asset (the blurred stand-in is not: it is made again when needed).
      const safety = f.safety
        ? {
            action: f.safety.action,
            rule: f.safety.rule,
            ...(f.safety.scores ? { scores: f.safety.scores } : {}),
          }
        : undefined;
      const record = await assets.put({
        owner: job.ownerKey,
        ...community,
        bytes: f.bytes,
        contentType: f.mime,
        filePath: f.filename,
        jobId: job.id,
        nodeId: f.node,
        kind: f.kind,
        ...(safety ? { safety } : {}),
      });
      if (f.safety?.action === 'blur' && f.safety.blurred) rememberBlurred(record.id, f.safety.blurred.bytes);
      records.push(record);
    }
    for (const [i, t] of result.texts.entries()) {
      const bytes = Buffer.from(t.text, 'utf8');
      records.push(
        await assets.put({
          owner: job.ownerKey,
          ...community,
          bytes,
          contentType: 'text/plain; charset=utf-8',
          filePath: `text_${t.node}_${i}.txt`,
          jobId: job.id,
          nodeId: t.node,
          kind: 'text',
        }),
      );
    }
    await assets.setJobOutputs(job.id, records);
  }

  async #finish(job: JobRecord): Promise<void> {
    const { assets, events } = this.#o;
    const delivery = job.delivery as HttpDelivery | undefined;
    const origin = delivery?.origin ?? '';
    const outputs = job.state === 'succeeded' ? await assets.forJob(job.id) : [];
    for (const a of outputs) events.append(job.id, 'output', v2Output(a, origin));
    events.append(job.id, 'status', { status: job.state, queue_position: null }, true);
    this.canceling.delete(job.id);
    this.#last.delete(job.id);
    if (delivery?.webhook && delivery.keyId) this.webhooks.push(this.#webhook(job, delivery, outputs));
  }

  async #webhook(job: JobRecord, delivery: HttpDelivery, outputs: AssetRecord[]): Promise<void> {
    const { jobs, keys, log } = this.#o;
    const key = await keys.get(delivery.keyId!);
    if (!key || !delivery.webhook) return;
    const data = v2Job(jobs, {
      job,
      outputs,
      canceling: false,
      origin: delivery.origin,
      locale: delivery.locale,
    });
    const outcome = await deliverWebhook(
      delivery.webhook,
      key.webhookSecret,
      { type: `job.${job.state}`, data },
      {
        policy: { allowPrivate: this.#o.allowPrivateUrls, timeoutMs: 10_000, maxBytes: 64 * 1024 },
        initialDelayMs: this.#o.webhookDelayMs,
      },
    );
    log[outcome.ok ? 'info' : 'warn'](
      { job: job.id, ...outcome },
      outcome.ok ? 'webhook delivered' : 'webhook failed',
    );
  }
}
