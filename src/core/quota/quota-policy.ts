import type { QuotaConfig, QuotaRequester, TierConfig, TierMatchFn, UserLimits } from './types.ts';

export const DEFAULT_LIMITS: UserLimits = {
  running: 1,
  waiting: 3,
  perWindow: 30,
  windowMs: 24 * 60 * 60 * 1000,
};

/** A requester's tier and the limits that follow from it. */
export interface EffectiveQuota {
  key: string;
  communityKey?: string;
  tier: string;
  unlimited: boolean;
  priority: number;
  limits: UserLimits;
}

/** The key quotas and fairness use: the linked identity when there is one, else the platform account. */
export function quotaKey(requester: Pick<QuotaRequester, 'platform' | 'userId' | 'identity'>): string {
  return requester.identity ? `id:${requester.identity}` : `${requester.platform}:${requester.userId}`;
}

/** Resolves tier and limits; pure. Tiers are tried in configuration order and the first match wins. */
export function resolveQuota(config: QuotaConfig, requester: QuotaRequester): EffectiveQuota {
  const key = quotaKey(requester);
  const platformMatch = config.matchers?.get(requester.platform);
  const tier = config.tiers?.find((t) => tierMatches(t, requester, key, platformMatch));
  const limits: UserLimits = { ...DEFAULT_LIMITS, ...config.defaults, ...tier?.limits };
  return {
    key,
    communityKey: requester.communityId ? `${requester.platform}:${requester.communityId}` : undefined,
    tier: tier?.name ?? 'default',
    unlimited: tier?.unlimited === true,
    priority: tier?.priority ?? 0,
    limits,
  };
}

/** Platform-neutral rules first (users, platforms, roles, API key tiers), then the platform's own. */
function tierMatches(
  tier: TierConfig,
  requester: QuotaRequester,
  key: string,
  platformMatch: TierMatchFn | undefined,
): boolean {
  if (tier.users?.includes(key) || tier.platforms?.includes(requester.platform)) return true;
  if ((requester.roles ?? []).some((role) => tier.roles?.includes(role))) return true;
  if (requester.apiKeyTier !== undefined && tier.apiKeyTiers?.includes(requester.apiKeyTier)) return true;
  return platformMatch?.(tier.match ?? {}, requester) ?? false;
}
