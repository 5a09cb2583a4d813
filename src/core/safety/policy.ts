import type { SafetyVerdict } from './scores.ts';

/**
 * What happens to an image judged unsafe, mildest first: posted as is; posted as a spoiler (Discord
 * `SPOILER_` attachment, Telegram `has_spoiler`); a blurred preview posted and the original given to the
 * requester privately; not posted at all (the requester is told privately, admins can review).
 */
export const SAFETY_ACTIONS = ['allow', 'spoiler', 'blur', 'block'] as const;
export type SafetyAction = (typeof SAFETY_ACTIONS)[number];

export const isSafetyAction = (s: unknown): s is SafetyAction =>
  typeof s === 'string' && (SAFETY_ACTIONS as readonly string[]).includes(s);

/** The stricter of two actions (`block` > `blur` > `spoiler` > `allow`). */
export function stricter(a: SafetyAction, b: SafetyAction | undefined): SafetyAction {
  if (b === undefined) return a;
  return SAFETY_ACTIONS.indexOf(b) > SAFETY_ACTIONS.indexOf(a) ? b : a;
}

/**
 * When scores make an image unsafe. Defaults: explicit when porn + hentai ≥ 0.6 (the two explicit
 * classes split the vote on semi-realistic renders, so they are summed); suggestive when sexy ≥ 0.8
 * (the model calls swimwear and lingerie `sexy` with middling scores: a high bar keeps beach scenes posted).
 */
export interface SafetyThresholds {
  explicit: number;
  suggestive: number;
}

export const DEFAULT_THRESHOLDS: SafetyThresholds = { explicit: 0.6, suggestive: 0.8 };

/** How a verdict without scores counts in a place. */
export type UnknownTreatment = 'unsafe' | 'safe';

/** The safety policy in force in one place (channel, chat, API key), already resolved. */
export interface PlaceSafety {
  /** Whether images are classified at all here; `false` allows everything, previews included. */
  enabled: boolean;
  /** What an unsafe image gets here. */
  action: SafetyAction;
  unknown: UnknownTreatment;
  /**
   * What a visual file the classifier cannot read (a video: `unsupported`) gets where unknown counts as
   * unsafe and `action` is `blur`, which such a file cannot have. Absent: `block`.
   */
  unclassifiable?: Exclude<SafetyAction, 'blur'>;
  thresholds: SafetyThresholds;
  /** Age-restricted (Discord NSFW channel, a chat an admin marked adult): for audits and messages. */
  adult: boolean;
}

/** Why an image counts as unsafe, or `none`. */
export type UnsafeRule = 'explicit' | 'suggestive' | 'unknown' | 'none';

/** Which rule, if any, makes this verdict unsafe under these thresholds and unknown treatment. */
export function unsafeRule(
  verdict: SafetyVerdict,
  thresholds: SafetyThresholds,
  unknown: UnknownTreatment,
): UnsafeRule {
  if (verdict.kind === 'unknown') return unknown === 'unsafe' ? 'unknown' : 'none';
  const s = verdict.scores;
  if (s.porn + s.hentai >= thresholds.explicit) return 'explicit';
  if (s.sexy >= thresholds.suggestive) return 'suggestive';
  return 'none';
}

/** What happens to one image in a place: pure, the whole policy in one line of logic. */
export function decide(verdict: SafetyVerdict, place: PlaceSafety): SafetyAction {
  if (!place.enabled) return 'allow';
  if (unsafeRule(verdict, place.thresholds, place.unknown) === 'none') return 'allow';
  if (place.action === 'blur' && isUnclassifiable(verdict)) return place.unclassifiable ?? 'block';
  return place.action;
}

/** A file the classifier cannot read at all (a video), as opposed to one it failed on or ran out of time for. */
export const isUnclassifiable = (verdict: SafetyVerdict): boolean =>
  verdict.kind === 'unknown' && verdict.reason === 'unsupported';

/** Live previews during sampling. */
export type PreviewMode = 'allowed' | 'blurred' | 'off';

/**
 * Previews cannot wait for the classifier (they change every second), so they follow what the place
 * would do to an unsafe final image: shown where it would be posted anyway, blurred where it would be
 * spoilered or blurred, not shown where it would be blocked.
 */
export function previewMode(place: PlaceSafety): PreviewMode {
  if (!place.enabled) return 'allowed';
  switch (place.action) {
    case 'allow':
      return 'allowed';
    case 'spoiler':
    case 'blur':
      return 'blurred';
    case 'block':
      return 'off';
  }
}
