import type { QuotaConfig, TierConfig, TierMatchFn } from './types.ts';
import type { Config } from '../../config/schema.ts';

/** What quotas need of a platform module: its name and its tier matcher. */
export interface QuotaPlatform {
  name: string;
  tierMatch?: { matches: TierMatchFn };
}

/**
 * Maps the file's `quotas` section onto the quota ledger's configuration. Admins (per platform) get an
 * unlimited tier; each platform's matcher reads the `match:` keys it added to the file.
 */
export function toQuotaConfig(
  quotas: Config['quotas'],
  platforms: readonly QuotaPlatform[] = [],
): QuotaConfig {
  const d = quotas.defaults;
  const admins: TierConfig = {
    name: 'admin',
    unlimited: true,
    priority: 100,
    users: Object.entries(quotas.admins).flatMap(([platform, ids]) => ids.map((id) => `${platform}:${id}`)),
  };
  const tiers: TierConfig[] = quotas.tiers.map((tier) => ({
    name: tier.name,
    priority: tier.priority,
    // `tier:<name>` is what a community admin's role→tier mapping adds to a requester's roles.
    roles: [`tier:${tier.name}`],
    apiKeyTiers: tier.match.apiKeyTier ? [tier.match.apiKeyTier] : undefined,
    match: tier.match,
    limits: {
      running: tier.running,
      waiting: tier.waiting,
      perWindow: tier.perWindow,
      windowMs: tier.windowSeconds === undefined ? undefined : tier.windowSeconds * 1000,
      gpuSecondsPerWindow: tier.gpuSecondsPerWindow,
    },
  }));
  for (const t of tiers) {
    if (t.limits)
      for (const k of Object.keys(t.limits) as (keyof typeof t.limits)[])
        if (t.limits[k] === undefined) delete t.limits[k];
  }
  const c = quotas.community;
  return {
    defaults: {
      running: d.running,
      waiting: d.waiting,
      perWindow: d.perWindow,
      windowMs: d.windowSeconds * 1000,
      gpuSecondsPerWindow: d.gpuSecondsPerWindow,
    },
    tiers: [admins, ...tiers],
    community: {
      waiting: c.waiting,
      perWindow: c.perWindow,
      windowMs: c.windowSeconds === undefined ? undefined : c.windowSeconds * 1000,
    },
    global: { waiting: quotas.global.waiting },
    matchers: new Map(platforms.flatMap((p) => (p.tierMatch ? [[p.name, p.tierMatch.matches]] : []))),
  };
}
