import type { AssetRecord } from '../../core/assets/asset-store.ts';
import { blurredPreview } from '../../core/safety/blur.ts';

/** The floor a key tier sets on unsafe outputs (config `quotas.tiers[].safety.minimum`). */
export type SafetyMinimum = 'blur' | 'block';

interface TierWithSafety {
  match: { apiKeyTier?: string };
  safety?: { minimum: SafetyMinimum };
}

/**
 * The strictest minimum of the tiers that name this API key tier, or undefined. Strictest rather than
 * first: a floor meant for a school's keys must not be lost to a quota tier listed before it.
 */
export function tierSafetyMinimum(
  tiers: readonly TierWithSafety[],
  apiKeyTier: string | undefined,
): SafetyMinimum | undefined {
  if (apiKeyTier === undefined) return undefined;
  const floors = tiers.filter((t) => t.match.apiKeyTier === apiKeyTier).map((t) => t.safety?.minimum);
  return floors.includes('block') ? 'block' : floors.includes('blur') ? 'blur' : undefined;
}

/** An output's safety as the APIs show it: the decision, the scores, and where the original is. */
export interface OutputSafetyJson {
  action: 'allow' | 'spoiler' | 'blur' | 'block';
  rule: 'explicit' | 'suggestive' | 'unknown' | 'none';
  scores: Record<string, number> | null;
  /** With `blur`: `url` serves the blurred version; the owner's key gets the original here. */
  original_url?: string;
}

export function outputSafetyJson(a: AssetRecord, url: string): OutputSafetyJson | null {
  const s = a.safety;
  if (!s) return null;
  return {
    action: s.action,
    rule: s.rule,
    scores: s.scores ?? null,
    ...(s.action === 'blur' ? { original_url: `${url}?original=1` } : {}),
  };
}

/** A blocked output's bytes are served to nobody: not even its hash is shown (no copy by hash either). */
export const isBlocked = (a: AssetRecord): boolean => a.safety?.action === 'block';

/** Whether the asset is served blurred unless its owner asks for the original. */
export const isBlurred = (a: AssetRecord): boolean => a.safety?.action === 'blur';

/** Blurred stand-ins by asset id: made at delivery, made again from the original after a restart. */
const CACHED = 32;
const blurred = new Map<string, Buffer>();

export function rememberBlurred(assetId: string, bytes: Buffer): void {
  blurred.delete(assetId);
  blurred.set(assetId, bytes);
  if (blurred.size > CACHED) blurred.delete(blurred.keys().next().value as string);
}

/** The blurred JPEG of an asset whose original is `original` (undefined when it cannot be made). */
export async function blurredBytes(assetId: string, original: () => Promise<Buffer | undefined>) {
  const known = blurred.get(assetId);
  if (known) return known;
  const bytes = await original();
  const made = bytes ? await blurredPreview(bytes).catch(() => undefined) : undefined;
  if (made) rememberBlurred(assetId, made.bytes);
  return made?.bytes;
}
