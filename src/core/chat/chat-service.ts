import type { App } from '../app.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';
import type { Locale, UserMessage } from '../../shared/i18n.ts';
import type { JobRecord, Requester, DeliveryTarget } from '../jobs/types.ts';
import { mimeOf } from '../jobs/read-result.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import {
  type GivenImage,
  type ImagineOptions,
  type Place,
  planImagine,
  submitPlan,
  templatesFor,
} from '../prompt/index.ts';
import { CommunityPolicies, type CommunityPolicy } from './community-policy.ts';
import { AccountLinks } from './linking.ts';
import { type UserSettings, UserSettingsStore } from './user-settings.ts';
import { ownerKey } from '../jobs/types.ts';

export type { Place } from '../prompt/index.ts';

export interface ImagineInput {
  requester: Requester;
  /** Prompt text with `--flags`, from a slash option, a message or a caption. */
  text: string;
  /** Typed values from a platform's form; each wins over the same setting written as a flag. */
  options?: ImagineOptions;
  image?: GivenImage;
  place: Place;
  delivery: DeliveryTarget;
  /** Where job `index` of `total` is shown when `--n` makes several (default: `delivery` for each). */
  deliveryFor?: (index: number, total: number) => Promise<DeliveryTarget>;
  idempotencyKey?: string;
}

type Outcome<T> = Promise<Result<T, UserMessage>>;

/**
 * What every chat front end does, once: the community's policy and the person's defaults around the
 * `/imagine` pipeline (`core/prompt`), and the result buttons' actions. Adapters only translate platform events to these calls
 * and render the answers.
 */
export class ChatService {
  readonly app: App;
  readonly policies: CommunityPolicies;
  readonly settings: UserSettingsStore;
  readonly links: AccountLinks;

  constructor(app: App) {
    this.app = app;
    this.policies = new CommunityPolicies(app.storage.communities);
    this.settings = new UserSettingsStore(app.storage.users as never);
    this.links = new AccountLinks(app.storage.links);
  }

  /** Platform account (`discord:123`) → owner key of its settings, learned in `resolve`. */
  readonly #ownerOf = new Map<string, string>();

  /** The person's settings from memory only (undefined when not read or written in this process). */
  cachedSettings(requester: Pick<Requester, 'platform' | 'userId'>): UserSettings | undefined {
    const account = `${requester.platform}:${requester.userId}`;
    return this.settings.cached(this.#ownerOf.get(account) ?? account);
  }

  /** The person's settings (and fills the memory `cachedSettings` reads). */
  async settingsOf(requester: Requester): Promise<UserSettings> {
    return this.settings.get(ownerKey(await this.resolve(requester)));
  }

  /** Adds the linked identity and the community's role tiers to a platform requester. */
  async resolve(requester: Requester, policy?: CommunityPolicy): Promise<Requester> {
    const identity = requester.identity ?? (await this.links.identityOf(requester));
    const account = `${requester.platform}:${requester.userId}`;
    if (identity) this.#ownerOf.set(account, `id:${identity}`);
    else this.#ownerOf.delete(account);
    const roles = [...(requester.roles ?? [])];
    for (const role of requester.roles ?? []) {
      const tier = policy?.roleTiers[role];
      if (tier) roles.push(`tier:${tier}`);
    }
    return { ...requester, roles, ...(identity ? { identity } : {}) };
  }

  /** Templates usable in a place: the channel's allow-list, and `nsfw` only where allowed. */
  templatesFor(place: Place, policy: CommunityPolicy): WorkflowTemplate[] {
    return templatesFor(this.app.templates.values(), place, policy);
  }

  /** `/imagine`: the place's policy and the person's defaults, the one pipeline, then its jobs. */
  async imagine(input: ImagineInput): Outcome<JobRecord[]> {
    const { place, options, image, text } = input;
    const policy = await this.policies.get(input.requester.platform, place.communityId);
    const requester = await this.resolve(input.requester, policy);
    const settings = await this.settings.get(ownerKey(requester));
    const plan = await planImagine(this.app, { text, options, image, requester, place, policy, settings });
    if (!plan.ok) return plan;
    const more = input.deliveryFor;
    return submitPlan(this.app.engine, plan.value, {
      requester,
      delivery: (i, total) => (more ? more(i, total) : input.delivery),
      idempotencyKey: input.idempotencyKey,
    });
  }

  /** Same request, new seed. */
  async reroll(
    jobId: string,
    by: Requester,
    delivery: DeliveryTarget,
    idempotencyKey?: string,
    admin = false,
  ): Outcome<JobRecord> {
    const source = await this.#ownJob(jobId, by, admin);
    if (!source.ok) return source;
    const job = source.value;
    const { seed: _seed, ...values } = job.request.values;
    return this.app.engine.submit({
      requester: await this.resolve(by),
      request: { ...job.request, values, seed: undefined, parentJobId: job.id },
      delivery,
      idempotencyKey,
    });
  }

  /** Image `index` of a finished job run through an img2img (`variation`) or `upscale` template. */
  async derive(
    kind: 'variation' | 'upscale',
    jobId: string,
    index: number,
    by: Requester,
    delivery: DeliveryTarget,
    idempotencyKey?: string,
    admin = false,
  ): Outcome<JobRecord> {
    const source = await this.#ownJob(jobId, by, admin);
    if (!source.ok) return source;
    const job = source.value;
    const image = await this.outputImage(job, index);
    if (!image.ok) return image;
    const template = this.deriveTemplate(kind, job);
    if (!template) return err({ code: 'chat.noTemplateFor', params: { what: kind } });
    return this.app.engine.submit({
      requester: await this.resolve(by),
      request: {
        template: template.name,
        prompt: job.request.prompt,
        negative: job.request.negative,
        values: {},
        parentJobId: job.id,
      },
      delivery,
      idempotencyKey,
      inputImage: image.value,
    });
  }

  /** The template a variation or upscale uses: tagged img2img (same family first) or upscale. */
  deriveTemplate(kind: 'variation' | 'upscale', job?: JobRecord): WorkflowTemplate | undefined {
    const tag = kind === 'variation' ? 'img2img' : 'upscale';
    const candidates = [...this.app.templates.values()].filter((t) => t.tags.includes(tag));
    const family = job ? this.app.templates.get(job.request.template)?.family : undefined;
    return candidates.find((t) => t.family === family) ?? candidates[0];
  }

  async outputImage(job: JobRecord, index: number): Outcome<{ bytes: Uint8Array; mime: string }> {
    const images = (job.outputs ?? []).filter((o) => o.kind === 'image' && o.filename && o.type !== 'temp');
    const file = images[index - 1];
    const backend = job.backend ? this.app.pool.get(job.backend) : undefined;
    if (!file?.filename || !backend) return err({ code: 'chat.noImage', params: { id: job.id, index } });
    const bytes = await backend.client.viewBytes({
      filename: file.filename,
      subfolder: file.subfolder ?? '',
      type: file.type ?? 'output',
    });
    return ok({ bytes, mime: mimeOf(file.filename) });
  }

  async useSeed(jobId: string): Outcome<UserMessage> {
    const job = await this.app.engine.get(jobId);
    if (!job || job.deletedAt) return err({ code: 'chat.notFound', params: { id: jobId } });
    return ok({ code: 'chat.seed', params: { id: job.id, seed: job.seed } });
  }

  async delete(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    const own = await this.#ownJob(jobId, by, admin);
    if (!own.ok) return own;
    const job = await this.app.engine.markDeleted(jobId);
    return job ? ok(job) : err({ code: 'chat.notFound', params: { id: jobId } });
  }

  async cancel(jobId: string | undefined, by: Requester, admin: boolean): Outcome<JobRecord> {
    const requester = await this.resolve(by);
    let id = jobId;
    if (!id) {
      const mine = await this.app.engine.listForUser(requester, 20);
      id = mine.find((j) => !['succeeded', 'failed', 'canceled', 'expired'].includes(j.state))?.id;
      if (!id) return err({ code: 'chat.nothingToCancel' });
    }
    const result = await this.app.engine.cancel(id, requester, { admin });
    if (!result.ok && result.error.code === 'jobs.notYours') return err({ code: 'chat.notYours' });
    return result;
  }

  /** A job to show again: one's own, or any for an admin. */
  async show(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    return this.#ownJob(jobId, by, admin);
  }

  /** Lines describing the person's jobs and the queue. */
  async queue(by: Requester, locale: Locale): Promise<UserMessage[]> {
    const requester = await this.resolve(by);
    const jobs = (await this.app.engine.listForUser(requester, 20)).filter(
      (j) => !['succeeded', 'failed', 'canceled', 'expired'].includes(j.state),
    );
    const lines: UserMessage[] = jobs.map((j) => {
      const pos = this.app.engine.position(j.id);
      return pos
        ? {
            code: 'chat.queue.jobWaiting',
            params: { id: j.id, position: pos.position + 1, eta: Math.round(pos.etaMs / 1000) + ' s' },
          }
        : {
            code: 'chat.queue.job',
            params: { id: j.id, state: this.app.t(locale, `jobs.state.${j.state}`) },
          };
    });
    if (lines.length === 0) lines.push({ code: 'chat.queue.none' });
    const snap = this.app.engine.queueSnapshot();
    lines.push({
      code: 'chat.queue.summary',
      params: {
        waiting: snap.waiting,
        running: snap.running,
        backends: snap.backends.filter((b) => b.healthy).length,
      },
    });
    return lines;
  }

  async quota(by: Requester, communityPolicy?: CommunityPolicy): Promise<UserMessage[]> {
    const usage = await this.app.quota.usage(await this.resolve(by, communityPolicy));
    if (usage.unlimited) return [{ code: 'chat.quota.unlimited', params: { tier: usage.tier } }];
    const lines: UserMessage[] = [
      {
        code: 'chat.quota.summary',
        params: {
          tier: usage.tier,
          running: usage.running.used,
          runningLimit: usage.running.limit,
          waiting: usage.waiting.used,
          waitingLimit: usage.waiting.limit,
        },
      },
    ];
    if (usage.window) {
      lines.push({
        code: 'chat.quota.window',
        params: {
          remaining: usage.window.remaining,
          limit: usage.window.limit,
          resetsAt: new Date(usage.window.resetsAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
        },
      });
    }
    return lines;
  }

  /** An admin action on a community's policy, written to the audit log. */
  async administer(
    by: Requester,
    communityId: string,
    action: string,
    change: (p: CommunityPolicy) => void,
    details: Record<string, unknown> = {},
  ): Promise<CommunityPolicy> {
    const policy = await this.policies.update(by.platform, communityId, change);
    await this.app.storage.appendAudit({
      at: Date.now(),
      actor: ownerKey(by),
      action,
      target: `${by.platform}:${communityId}`,
      details,
    });
    return policy;
  }

  async #ownJob(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    const job = await this.app.engine.get(jobId);
    if (!job || job.deletedAt) return err({ code: 'chat.notFound', params: { id: jobId } });
    const requester = await this.resolve(by);
    if (!admin && job.ownerKey !== ownerKey(requester)) return err({ code: 'chat.notYours' });
    return ok(job);
  }
}
