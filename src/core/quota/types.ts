import type { BudgetRemaining } from './cloud-budget.ts';
import type { UserMessage } from '#shared/i18n.ts';

/** Who is asking, as far as quotas care. The engine's `Requester` fits this shape. */
export interface QuotaRequester {
  /** The platform module's name (`discord`), or `cli` for the operator's own command line. */
  platform: string;
  userId: string;
  communityId?: string;
  roles?: string[];
  isChatAdmin?: boolean;
  apiKeyTier?: string;
  /** A linked account id; when set, quotas key on it so linked accounts share one allowance. */
  identity?: string;
}

/** Limits for one person. */
export interface UserLimits {
  /** Jobs running at the same time. */
  running: number;
  /** Jobs admitted but not started yet. */
  waiting: number;
  /** Jobs admitted per window. */
  perWindow: number;
  windowMs: number;
  /** GPU time per window, in seconds; unlimited when absent. */
  gpuSecondsPerWindow?: number;
}

/** A cap shared by everyone in a community, or by everyone at all. */
export interface SharedCap {
  waiting?: number;
  perWindow?: number;
  windowMs?: number;
}

/** A named tier and who gets it. Tiers are checked in order; the first match wins. */
export interface TierConfig {
  name: string;
  /** Admin tier: no limit applies and nothing is counted. */
  unlimited?: boolean;
  /** Scheduling priority for the fair queue; higher goes first. Default 0. */
  priority?: number;
  /** Overrides of the default limits. */
  limits?: Partial<UserLimits>;
  /** Requester roles that give this tier on any platform (`tier:<name>` from a community's role mapping). */
  roles?: string[];
  apiKeyTiers?: string[];
  /** Quota keys (`discord:123`, `id:alice`) given this tier explicitly. */
  users?: string[];
  /** Everyone on these platforms (the operator's own command line). */
  platforms?: string[];
  /** The tier's `match:` from the file, for the platforms' matchers (`discordRoles`). */
  match?: Readonly<Record<string, unknown>>;
}

/** A platform's own rule for its requesters (Discord roles, Telegram chat admins), given a tier's `match:`. */
export type TierMatchFn = (match: Readonly<Record<string, unknown>>, requester: QuotaRequester) => boolean;

export interface QuotaConfig {
  defaults?: Partial<UserLimits>;
  tiers?: TierConfig[];
  /** Per community (`platform:communityId`). */
  community?: SharedCap;
  global?: SharedCap;
  /** Platform name → its tier matcher, tried for that platform's requesters. */
  matchers?: ReadonlyMap<string, TierMatchFn>;
}

export type QuotaLimitKind = 'running' | 'waiting' | 'window' | 'gpuSeconds' | 'community' | 'global';

/** Why a job was not admitted (or cannot start yet), with a message for the person. */
export interface QuotaRefusal {
  limit: QuotaLimitKind;
  limitValue: number;
  /** When trying again can succeed; absent when it depends on other jobs finishing. */
  retryAfterMs?: number;
  message: UserMessage;
}

export interface WindowUsage {
  used: number;
  limit: number;
  remaining: number;
  /** Epoch ms when the window refills. */
  resetsAt: number;
}

/** What `/quota` shows. */
export interface QuotaUsage {
  key: string;
  tier: string;
  unlimited: boolean;
  running: { used: number; limit: number };
  waiting: { used: number; limit: number };
  window?: WindowUsage;
  gpuSeconds?: WindowUsage;
  /** What is left of each paid (overflow) backend's budget, for everyone and for the person's community. */
  cloud?: BudgetRemaining[];
}
