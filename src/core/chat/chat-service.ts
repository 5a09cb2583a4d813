import type { WorkflowTemplate } from '../../workflows/types.ts';
import type { Locale, UserMessage } from '#shared/i18n.ts';
import type { JobRecord, Requester, DeliveryTarget } from '../jobs/types.ts';
import type { JobsPort } from '../ports/jobs-port.ts';
import type { ResultImage } from '../ports/result-reader.ts';
import type { TemplateCatalog } from '../ports/template-catalog.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { type Place, planImagine, submitPlan } from '../prompt/index.ts';
import { queueLines, quotaLines } from './report-lines.ts';
import { CommunityPolicies, type CommunityPolicy } from './community-policy.ts';
import { type Derivation, withDerivation } from './job-labels.ts';
import { AccountLinks } from './linking.ts';
import { type DeriveKind, Offers } from './offers.ts';
import { type Attempt, forPerson, listingUsable } from './person-errors.ts';
import type { ChatDeps, ImagineInput } from './chat-deps.ts';
import { type UserSettings, UserSettingsStore } from './user-settings.ts';
import { waitingNote } from './waiting-note.ts';
import { ownerKey } from '../jobs/types.ts';
import { DEFAULT_SAFETY_SETTINGS } from '../safety/place-safety.ts';
import { SafetyAdmin } from '../safety/safety-admin.ts';

export type { Place } from '../prompt/index.ts';
export type { ChatDeps, ImagineInput, OperatorSink } from './chat-deps.ts';

type Outcome<T> = Promise<Result<T, UserMessage>>;

/**
 * What every chat front end does, once: the community's policy and the person's defaults around the
 * `/imagine` pipeline (`core/prompt`), the result buttons' actions, and what may be offered (`offers`).
 * Refusals come out worded for people; their technical detail goes to the operator's log. Adapters only
 * translate platform events to these calls and render the answers.
 */
export class ChatService {
  /** The templates, for commands that list or name them. */
  readonly templates: TemplateCatalog;
  /** Only what some healthy backend can run now: for buttons, lists and menus. */
  readonly offers: Offers;
  readonly policies: CommunityPolicies;
  readonly settings: UserSettingsStore;
  readonly links: AccountLinks;
  /** `/admin safety`: the image safety policy of communities and channels, and the review. */
  readonly safety: SafetyAdmin;
  readonly #deps: ChatDeps;
  readonly #now: () => number;

  constructor(deps: ChatDeps) {
    this.#deps = deps;
    this.templates = deps.templates;
    this.offers = new Offers(deps.templates);
    const clock = deps.clock;
    this.#now = clock ? () => clock.now() : Date.now;
    this.policies = new CommunityPolicies(deps.storage.communities);
    this.settings = new UserSettingsStore(deps.storage.users as never);
    this.links = new AccountLinks(deps.storage.links);
    const settings = deps.safety ?? DEFAULT_SAFETY_SETTINGS;
    const { jobs, storage } = deps;
    this.safety = new SafetyAdmin({
      settings,
      policies: this.policies,
      audit: storage,
      jobs,
      now: this.#now,
    });
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

  /** Templates usable in a place that can run now: the channel's allow-list, `nsfw` only where allowed. */
  templatesFor(place: Place, policy: CommunityPolicy): WorkflowTemplate[] {
    return this.offers.usable(place, policy);
  }

  /** `/imagine`: the place's policy and the person's defaults, the one pipeline, then its jobs. */
  async imagine(input: ImagineInput): Outcome<JobRecord[]> {
    const { place, options, image, text } = input;
    const policy = await this.policies.get(input.requester.platform, place.communityId);
    const requester = await this.resolve(input.requester, policy);
    const settings = await this.settings.get(ownerKey(requester));
    const ask = { text, options, image, requester, place, policy, settings };
    const plan = await planImagine(this.templates.imagine, ask);
    if (!plan.ok) {
      const names = () => this.offers.usable(place, policy).map((t) => t.name);
      return err(this.#toPerson(listingUsable(plan.error, names), {}));
    }
    const more = input.deliveryFor;
    const submitted = await submitPlan(this.#deps.jobs, plan.value, {
      requester,
      delivery: (i, total) => (more ? more(i, total) : input.delivery),
      idempotencyKey: input.idempotencyKey,
    });
    if (submitted.ok) return submitted;
    const template = plan.value.template.name;
    return err(this.#toPerson(submitted.error, { template, models: this.offers.modelsFor(template) }));
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
    return this.#submitDerived(
      { kind: 'reroll', of: job.id },
      { template: job.request.template },
      {
        requester: await this.resolve(by),
        request: { ...job.request, values, seed: undefined, parentJobId: job.id },
        delivery,
        idempotencyKey,
      },
    );
  }

  /** Image `index` of a finished job run through an img2img (`variation`) or `upscale` template. */
  async derive(
    kind: DeriveKind,
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
    // Asked first: no image is read for a button this server cannot serve now.
    const template = this.offers.deriveTemplate(kind, job);
    if (!template) return err({ code: `chat.cannot.${kind}` });
    const image = await this.outputImage(job, index);
    if (!image.ok) return image;
    const { prompt, negative } = job.request;
    return this.#submitDerived(
      { kind, of: job.id, index },
      { derive: kind, template: template.name },
      {
        requester: await this.resolve(by),
        request: { template: template.name, prompt, negative, values: {}, parentJobId: job.id },
        delivery,
        idempotencyKey,
        inputImage: image.value,
      },
    );
  }

  /** Whether a derive button of this job would be served now (Telegram asks before answering a press). */
  canDerive(kind: DeriveKind, job: Pick<JobRecord, 'request'>): boolean {
    return this.offers.deriveTemplate(kind, job) !== undefined;
  }

  /** Image `index` (from 1) of a finished job, read by the core from wherever it is kept. */
  outputImage(job: JobRecord, index: number): Outcome<ResultImage> {
    return this.#deps.results.image(job, index);
  }

  /** The seed of a job, for whoever pressed "Use seed" (the adapter answers only them). */
  async useSeed(jobId: string): Outcome<UserMessage> {
    const job = await this.#deps.jobs.get(jobId);
    if (!job || job.deletedAt) return err({ code: 'chat.notFound', params: { id: jobId } });
    return ok({ code: 'chat.seed', params: { id: job.id, seed: job.seed } });
  }

  async delete(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    const own = await this.#ownJob(jobId, by, admin);
    if (!own.ok) return own;
    const job = await this.#deps.jobs.markDeleted(jobId);
    return job ? ok(job) : err({ code: 'chat.notFound', params: { id: jobId } });
  }

  async cancel(jobId: string | undefined, by: Requester, admin: boolean): Outcome<JobRecord> {
    const requester = await this.resolve(by);
    let id = jobId;
    if (!id) {
      const mine = await this.#deps.jobs.listForUser(requester, 20);
      id = mine.find((j) => !['succeeded', 'failed', 'canceled', 'expired'].includes(j.state))?.id;
      if (!id) return err({ code: 'chat.nothingToCancel' });
    }
    const result = await this.#deps.jobs.cancel(id, requester, { admin });
    if (!result.ok && result.error.code === 'jobs.notYours') return err({ code: 'chat.notYours' });
    return result;
  }

  /** A job to show again: one's own, or any for an admin. */
  async show(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    return this.#ownJob(jobId, by, admin);
  }

  /** `/queue`: the person's jobs with their prompt, place and ETA, and the whole queue. */
  async queue(by: Requester, locale: Locale): Promise<UserMessage[]> {
    const mine = await this.#deps.jobs.listForUser(await this.resolve(by), 20);
    return queueLines(mine, this.#deps.jobs, locale);
  }

  async quota(
    by: Requester,
    communityPolicy?: CommunityPolicy,
    locale: Locale = 'en',
  ): Promise<UserMessage[]> {
    return quotaLines(await this.#deps.quota.usage(await this.resolve(by, communityPolicy)), locale);
  }

  /** A note under a waiting job's status when the person's own running jobs hold it back; else none. */
  waitingNote(job: JobRecord): Promise<UserMessage[]> {
    return waitingNote(job, this.#deps.jobs, this.#deps.quota);
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
    await this.#deps.storage.appendAudit({
      at: this.#now(),
      actor: ownerKey(by),
      action,
      target: `${by.platform}:${communityId}`,
      details,
    });
    return policy;
  }

  async #submitDerived(
    derived: Derivation,
    attempt: Attempt,
    input: Parameters<JobsPort['submit']>[0] & { delivery: DeliveryTarget },
  ): Outcome<JobRecord> {
    const r = await this.#deps.jobs.submit({ ...input, delivery: withDerivation(input.delivery, derived) });
    return r.ok ? r : err(this.#toPerson(r.error, attempt));
  }

  /** The person's words for a refusal; an operator's problem is logged and counted first. */
  #toPerson(message: UserMessage, attempt: Attempt): UserMessage {
    const split = forPerson(message, attempt);
    if (split.operator) {
      this.#deps.log?.warn({ ...split.operator, attempt }, 'request refused: the server cannot run it');
      this.#deps.onOperatorProblem?.(split.operator.code);
    }
    return split.person;
  }

  async #ownJob(jobId: string, by: Requester, admin: boolean): Outcome<JobRecord> {
    const job = await this.#deps.jobs.get(jobId);
    if (!job || job.deletedAt) return err({ code: 'chat.notFound', params: { id: jobId } });
    const requester = await this.resolve(by);
    if (!admin && job.ownerKey !== ownerKey(requester)) return err({ code: 'chat.notYours' });
    return ok(job);
  }
}
