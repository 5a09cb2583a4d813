import type { EffectiveQuota } from './quota-policy.ts';
import { refusal } from './refusal.ts';
import type { QuotaConfig, QuotaRefusal } from './types.ts';
import type { WindowCache } from './window-cache.ts';
import { gpuSpec, type WindowSpec, windowSpecs } from './window-specs.ts';

/** Refuses when the person has no GPU-seconds left in their window; takes nothing. */
export async function checkGpu(
  windows: WindowCache,
  quota: EffectiveQuota,
  now: number,
): Promise<QuotaRefusal | undefined> {
  const spec = gpuSpec(quota);
  if (!spec) return undefined;
  // GPU time is only known afterwards, so admit while any is left and charge the real amount at the end.
  const usage = await windows.use(spec, (counter) => counter.usage());
  if (usage.remaining > 0) return undefined;
  return refusal('gpuSeconds', spec.limit, { retryAfterMs: usage.resetsAt - now, now });
}

/**
 * Takes one slot from each of the quota's windows in order, stopping at the first that is empty. The
 * windows taken from are pushed onto `taken` as they go, so the caller can refund them (all or none).
 */
export async function takeWindows(
  windows: WindowCache,
  config: QuotaConfig,
  quota: EffectiveQuota,
  now: number,
  taken: WindowSpec[],
): Promise<QuotaRefusal | undefined> {
  for (const spec of windowSpecs(config, quota)) {
    const resetsAt = await windows.use(spec, async (counter) =>
      (await counter.tryTake(1)) ? undefined : (await counter.usage()).resetsAt,
    );
    if (resetsAt === undefined) {
      taken.push(spec);
      continue;
    }
    const retryAfterMs = resetsAt - now;
    if (spec.kind === 'window') return refusal('window', spec.limit, { retryAfterMs, now });
    return refusal(spec.kind, spec.limit, { retryAfterMs, now, cap: 'window' });
  }
  return undefined;
}

/** Gives back one slot to each window. */
export async function refundWindows(windows: WindowCache, specs: readonly WindowSpec[]): Promise<void> {
  for (const spec of specs) await windows.use(spec, (counter) => counter.refund(1));
}
