import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { CommunityPolicies } from '../chat/community-policy.ts';
import { ownerKey, type JobRecord, type Requester, type SafetyDecision } from '../jobs/types.ts';
import type { AuditEntry, AuditLog } from '../storage/audit-log.ts';
import { safetyPolicyAuditEntry } from './audit.ts';
import { type SafetyOverrides, type SafetySettings, resolvePlaceSafety } from './place-safety.ts';
import { type PlaceSafety, previewMode } from './policy.ts';
import { applySafetyChange, type SafetyChange } from './safety-change.ts';
import './messages.ts';

export interface SafetyAdminDeps {
  settings: SafetySettings;
  policies: Pick<CommunityPolicies, 'get' | 'update'>;
  audit: Pick<AuditLog, 'appendAudit' | 'listAudit'>;
  jobs: { get(id: string): Promise<JobRecord | undefined> };
  now: () => number;
}

/** A place as a command sees it: the community, the channel or topic, whether the platform says adult. */
export interface AdminPlace {
  platform: string;
  communityId: string;
  channelId?: string;
  ageRestricted?: boolean;
}

/** One recent block or blur, for `/admin safety review`. */
export interface ReviewItem {
  at: number;
  jobId: string;
  output: number;
  action: string;
  rule: string;
  channelId?: string;
  scores?: Record<string, number>;
}

/** Audit entries looked through for a review (the log is shared by every community). */
const REVIEW_SCAN = 1000;

/**
 * What community admins do about image safety, platform-neutral: see the policy in force, change the
 * community's or a channel's (every change audited with its before and after), review recent blocks and
 * blurs, and get an original. Commands check the person is an admin before calling these.
 */
export class SafetyAdmin {
  readonly #d: SafetyAdminDeps;
  constructor(deps: SafetyAdminDeps) {
    this.#d = deps;
  }

  async overrides(place: AdminPlace): Promise<SafetyOverrides | undefined> {
    return (await this.#d.policies.get(place.platform, place.communityId)).safety;
  }

  /** The policy in force in the place, with the community's overrides it came from. */
  async inForce(place: AdminPlace): Promise<{ policy: PlaceSafety; overrides?: SafetyOverrides }> {
    const overrides = await this.overrides(place);
    const policy = resolvePlaceSafety(this.#d.settings, overrides, {
      ageRestricted: place.ageRestricted === true,
      ...(place.channelId ? { channelId: place.channelId } : {}),
    });
    return { policy, ...(overrides ? { overrides } : {}) };
  }

  /** `show` as one message. */
  async describe(place: AdminPlace): Promise<UserMessage> {
    const { policy, overrides } = await this.inForce(place);
    return {
      code: policy.adult ? 'safety.admin.showAdult' : 'safety.admin.show',
      params: {
        action: policy.enabled ? policy.action : 'allow (off)',
        unknown: policy.unknown,
        explicit: policy.thresholds.explicit,
        suggestive: policy.thresholds.suggestive,
        previews: previewMode(policy),
        overrides: JSON.stringify(overrides ?? {}),
      },
    };
  }

  /** Applies an admin's change and audits it (who, where, before, after). */
  async change(by: Requester, place: AdminPlace, change: SafetyChange): Promise<SafetyOverrides> {
    let before: SafetyOverrides | undefined;
    let after: SafetyOverrides = {};
    await this.#d.policies.update(place.platform, place.communityId, (p) => {
      before = p.safety;
      after = applySafetyChange(p.safety, change);
      p.safety = after;
    });
    await this.#d.audit.appendAudit(
      safetyPolicyAuditEntry({
        at: this.#d.now(),
        actor: ownerKey(by),
        community: `${place.platform}:${place.communityId}`,
        ...(change.kind === 'channel' ? { channelId: change.channelId } : {}),
        before: before ?? {},
        after,
      }),
    );
    return after;
  }

  /** The newest blocks and blurs in the community, newest first. */
  async review(place: AdminPlace, limit = 10): Promise<ReviewItem[]> {
    const entries = await this.#d.audit.listAudit(REVIEW_SCAN);
    return entries
      .filter((e) => e.action === 'safety.block' || e.action === 'safety.blur')
      .map((e) => reviewItem(e, place))
      .filter((r): r is ReviewItem => r !== undefined)
      .slice(0, limit);
  }

  /**
   * An output of a job screened in this community, for an admin to see privately (`ref` is `job#n`, or
   * the job id for its first output). Audited: an admin looking at an original is a decision too.
   */
  async original(
    by: Requester,
    place: AdminPlace,
    ref: string,
  ): Promise<Result<{ job: JobRecord; output: number; decision: SafetyDecision }, UserMessage>> {
    const [jobId = '', n = '0'] = ref.trim().split('#');
    const output = Number(n);
    const job = jobId ? await this.#d.jobs.get(jobId) : undefined;
    if (!job) return err({ code: 'chat.notFound', params: { id: jobId } });
    const decision = job.safety?.find((d) => d.output === output);
    const here = (job.delivery?.platform ?? job.owner.platform) === place.platform;
    if (!decision || !here || job.owner.communityId !== place.communityId)
      return err({ code: 'safety.admin.notHere', params: { job: jobId, output: n } });
    await this.#d.audit.appendAudit({
      at: this.#d.now(),
      actor: ownerKey(by),
      action: 'safety.original',
      target: `${job.id}#${output}`,
      details: { community: `${place.platform}:${place.communityId}` },
    });
    return ok({ job, output, decision });
  }
}

function reviewItem(e: AuditEntry, place: AdminPlace): ReviewItem | undefined {
  const d = e.details as
    | {
        place?: { platform?: string; communityId?: string; channelId?: string };
        rule?: string;
        scores?: Record<string, number>;
      }
    | undefined;
  if (d?.place?.platform !== place.platform || d.place.communityId !== place.communityId) return undefined;
  const [jobId = '', output = '0'] = (e.target ?? '').split('#');
  return {
    at: e.at,
    jobId,
    output: Number(output),
    action: e.action.slice('safety.'.length),
    rule: d.rule ?? 'none',
    ...(d.place.channelId ? { channelId: d.place.channelId } : {}),
    ...(d.scores ? { scores: d.scores } : {}),
  };
}
