import type { WorkflowTemplate } from '../../workflows/types.ts';
import type { Locale, UserMessage } from '../../shared/i18n.ts';
import type { Clock } from '../../shared/clock.ts';
import type { JobRecord, Requester, DeliveryTarget } from '../jobs/types.ts';
import type { JobsPort } from '../ports/jobs-port.ts';
import type { QuotaReport } from '../ports/quota-report.ts';
import type { ResultImage, ResultReader } from '../ports/result-reader.ts';
import type { TemplateCatalog } from '../ports/template-catalog.ts';
import type { Storage } from '../storage/create-storage.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import {
  type GivenImage,
  type ImagineOptions,
  type Place,
  planImagine,
  submitPlan,
  templatesFor,
} from '../prompt/index.ts';
import { queueLines, quotaLines } from './report-lines.ts';
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

/** What the chat core works with: the core's ports and the stores of its own records. */
export interface ChatDeps {
  jobs: JobsPort;
  results: ResultReader;
  templates: TemplateCatalog;
  quota: QuotaReport;
  /** Communities' policies, people's settings, linked accounts, and the audit log of admin actions. */
  storage: Pick<Storage, 'communities' | 'users' | 'links' | 'appendAudit'>;
  clock?: Pick<Clock, 'now'>;
}

/**
 * What every chat front end does, once: the community's policy and the person's defaults around the
 * `/imagine` pipeline (`core/prompt`), and the result buttons' actions. Adapters only translate platform events to these calls
 * and render the answers.
 */
export class ChatService {
  /** The templates, for commands that list or name them. */
  readonly templates: TemplateCatalog;
  readonly policies: CommunityPolicies;
  readonly settings: UserSettingsStore;
  readonly links: AccountLinks;
  readonly #jobs: JobsPort;
  readonly #results: ResultReader;
  readonly #quota: QuotaReport;
  readonly #audit: ChatDeps['storage'];
  readonly #now: () => number;

  constructor(deps: ChatDeps) {
    this.templates = deps.templates;
    this.#jobs = deps.jobs;
    this.#results = deps.results;
    this.#quota = deps.quota;
    this.#audit = deps.storage;
    const clock = deps.clock;
    this.#now = clock ? () => clock.now() : Date.now;
    this.policies = new CommunityPolicies(deps.storage.communities);
    this.settings = new UserSettingsStore(deps.storage.users as never);
    this.links = new AccountLinks(deps.storage.links);
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
    return templatesFor(this.templates.list(), place, policy);
  }

  /** `/imagine`: the place's policy and the person's defaults, the one pipeline, then its jobs. */
  async imagine(input: ImagineInput): Outcome<JobRecord[]> {
    const { place, options, image, text } = input;
    const policy = await this.policies.get(input.requester.platform, place.communityId);
    const requester = await this.resolve(input.requester, policy);
    const settings = await this.settings.get(ownerKey(requester));
    const plan = await planImagine(this.templates.imagine, {
      text,
      options,
      image,
      requester,
      place,
      policy,
      settings,
    });
    if (!plan.ok) return plan;
    const more = input.deliveryFor;
    return submitPlan(this.#jobs, plan.value, {
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
    return this.#jobs.submit({
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
    return this.#jobs.submit({
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
    const candidates = this.templates.list().filter((tpl) => tpl.tags.includes(tag));
    const family = job ? this.templates.get(job.request.template)?.family : undefined;
    return candidates.find((tpl) => tpl.family === family) ?? candidates[0];
  }

  /** Image `index` (from 1) of a finished job, read by the core from wherever it is kept. */
  outputImage(job: JobRecord, index: number): Outcome<ResultImage> {
    return this.#results.image(job, index);
  }

  async useSeed(jobId: string): Outcome<UserMessage> {
    const job = await this.#jobs.get(jobId);
    if (!job || job.deletedAt) return err({ code: 'chat.notFound', params: { id: jobId } });
    return ok({ code: 'chat.seed', params: { id: job.id, seed: job.seed } });
  }

  async delete(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    const own = await this.#ownJob(jobId, by, admin);
    if (!own.ok) return own;
    const job = await this.#jobs.markDeleted(jobId);
    return job ? ok(job) : err({ code: 'chat.notFound', params: { id: jobId } });
  }

  async cancel(jobId: string | undefined, by: Requester, admin: boolean): Outcome<JobRecord> {
    const requester = await this.resolve(by);
    let id = jobId;
    if (!id) {
      const mine = await this.#jobs.listForUser(requester, 20);
      id = mine.find((j) => !['succeeded', 'failed', 'canceled', 'expired'].includes(j.state))?.id;
      if (!id) return err({ code: 'chat.nothingToCancel' });
    }
    const result = await this.#jobs.cancel(id, requester, { admin });
    if (!result.ok && result.error.code === 'jobs.notYours') return err({ code: 'chat.notYours' });
    return result;
  }

  /** A job to show again: one's own, or any for an admin. */
  async show(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    return this.#ownJob(jobId, by, admin);
  }

  /** Lines describing the person's jobs and the queue. */
  async queue(by: Requester, locale: Locale): Promise<UserMessage[]> {
    return queueLines(await this.#jobs.listForUser(await this.resolve(by), 20), this.#jobs, locale);
  }

  async quota(by: Requester, communityPolicy?: CommunityPolicy): Promise<UserMessage[]> {
    return quotaLines(await this.#quota.usage(await this.resolve(by, communityPolicy)));
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
    await this.#audit.appendAudit({
      at: this.#now(),
      actor: ownerKey(by),
      action,
      target: `${by.platform}:${communityId}`,
      details,
    });
    return policy;
  }

  async #ownJob(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    const job = await this.#jobs.get(jobId);
    if (!job || job.deletedAt) return err({ code: 'chat.notFound', params: { id: jobId } });
    const requester = await this.resolve(by);
    if (!admin && job.ownerKey !== ownerKey(requester)) return err({ code: 'chat.notYours' });
    return ok(job);
  }
}
