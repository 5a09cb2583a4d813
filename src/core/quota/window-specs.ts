import { DEFAULT_LIMITS, type EffectiveQuota } from './quota-policy.ts';
import type { QuotaConfig } from './types.ts';

/** A window counter by its identity; the limit is part of the id, so a tier change starts a new window. */
export interface WindowSpec {
  id: string;
  limit: number;
  windowMs: number;
  kind: 'window' | 'community' | 'global';
}

/**
 * The job windows an admission takes one slot from, in the order they are taken: the person's, then
 * the community's and the global one when configured.
 */
export function windowSpecs(config: QuotaConfig, quota: EffectiveQuota): WindowSpec[] {
  const { limits, key, communityKey } = quota;
  const defaultWindow = config.defaults?.windowMs ?? DEFAULT_LIMITS.windowMs;
  const specs: WindowSpec[] = [
    {
      kind: 'window',
      id: `window:${key}:${limits.perWindow}/${limits.windowMs}`,
      limit: limits.perWindow,
      windowMs: limits.windowMs,
    },
  ];
  const { community, global } = config;
  if (community?.perWindow !== undefined && communityKey) {
    const windowMs = community.windowMs ?? defaultWindow;
    specs.push({
      kind: 'community',
      id: `community:${communityKey}:${community.perWindow}/${windowMs}`,
      limit: community.perWindow,
      windowMs,
    });
  }
  if (global?.perWindow !== undefined) {
    const windowMs = global.windowMs ?? defaultWindow;
    specs.push({
      kind: 'global',
      id: `global:${global.perWindow}/${windowMs}`,
      limit: global.perWindow,
      windowMs,
    });
  }
  return specs;
}

/** The person's GPU-seconds window; none when their tier sets no GPU limit. */
export function gpuSpec(quota: EffectiveQuota): WindowSpec | undefined {
  const { gpuSecondsPerWindow: limit, windowMs } = quota.limits;
  if (limit === undefined) return undefined;
  return { kind: 'window', id: `gpu:${quota.key}:${limit}/${windowMs}`, limit, windowMs };
}
