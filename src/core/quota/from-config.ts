import type { QuotaConfig, TierConfig } from './types.ts';
import type { Config } from '../../config/schema.ts';

/** Maps the file's `quotas` section onto the quota ledger's configuration. Admins get an unlimited tier. */
export function toQuotaConfig(quotas: Config['quotas']): QuotaConfig {
  const d = quotas.defaults;
  const admins: TierConfig = {
    name: 'admin',
    unlimited: true,
    priority: 100,
    users: [
      ...quotas.admins.discord.map((id) => `discord:${id}`),
      ...quotas.admins.telegram.map((id) => `telegram:${id}`),
    ],
  };
  const tiers: TierConfig[] = quotas.tiers.map((tier) => ({
    name: tier.name,
    priority: tier.priority,
    // `tier:<name>` is what a community admin's role→tier mapping adds to a requester's roles.
    discordRoles: [...(tier.match.discordRoles ?? []), `tier:${tier.name}`],
    telegramChatAdmin: tier.match.telegramAdmins,
    apiKeyTiers: tier.match.apiKeyTier ? [tier.match.apiKeyTier] : undefined,
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
  };
}
