import type { ActiveStore } from './active-store.ts';
import type { EffectiveQuota } from './quota-policy.ts';
import type { QuotaConfig, QuotaUsage } from './types.ts';
import type { WindowCache } from './window-cache.ts';
import { gpuSpec, windowSpecs } from './window-specs.ts';

/** What the person has used and has left, for `/quota`; an unlimited quota reports no counts or windows. */
export async function usageReport(
  deps: { config: QuotaConfig; active: ActiveStore; windows: WindowCache },
  quota: EffectiveQuota,
): Promise<QuotaUsage> {
  const { active, windows } = deps;
  const counts = quota.unlimited ? { running: 0, waiting: 0 } : await active.counts(quota.key);
  const base = {
    key: quota.key,
    tier: quota.tier,
    unlimited: quota.unlimited,
    running: { used: counts.running, limit: quota.limits.running },
    waiting: { used: counts.waiting, limit: quota.limits.waiting },
  };
  if (quota.unlimited) return base;
  const [userWindow] = windowSpecs(deps.config, quota);
  const gpu = gpuSpec(quota);
  return {
    ...base,
    window: await windows.use(userWindow!, (counter) => counter.usage()),
    gpuSeconds: gpu ? await windows.use(gpu, (counter) => counter.usage()) : undefined,
  };
}
