/**
 * The classes the NSFW model scores, in the model's output order (nsfwjs `NSFW_CLASSES`). Every
 * `SafetyScores` object is built in this order, so its keys always enumerate the same way.
 */
export const SAFETY_CLASSES = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'] as const;
export type SafetyClass = (typeof SAFETY_CLASSES)[number];

/** A probability per class, each in 0..1; for a single image they sum to about 1. */
export type SafetyScores = Record<SafetyClass, number>;

/** Why an image has no scores: the policy's `unknown` rule decides for it. */
export type UnknownReason =
  /** The classifier did not answer in time. */
  | 'timeout'
  /** The model, a worker or the image decoder failed. */
  | 'failed'
  /** Not an image the classifier can read (video, audio, an unknown format). */
  | 'unsupported'
  /** The classifier is switched off, closed or never started. */
  | 'unavailable';

/** What the classifier says about one output. */
export type SafetyVerdict =
  | {
      kind: 'scored';
      /** For an animated image: each class's highest score over the sampled frames. */
      scores: SafetyScores;
      /** Frames classified: 1 for a still image. */
      frames: number;
    }
  | { kind: 'unknown'; reason: UnknownReason; detail?: string };

export const unknownVerdict = (reason: UnknownReason, detail?: string): SafetyVerdict =>
  detail === undefined ? { kind: 'unknown', reason } : { kind: 'unknown', reason, detail };

/** Scores from the model's output vector (in `SAFETY_CLASSES` order). */
export function scoresFromVector(vector: ArrayLike<number>): SafetyScores {
  const scores = {} as SafetyScores;
  SAFETY_CLASSES.forEach((c, i) => {
    scores[c] = vector[i] ?? 0;
  });
  return scores;
}

/**
 * The frames of an animated image folded into one score set: each class's maximum, so a single explicit
 * frame is enough to trip a threshold (the sum is then no longer 1).
 */
export function worstOf(frames: readonly SafetyScores[]): SafetyScores {
  const scores = scoresFromVector(SAFETY_CLASSES.map(() => 0));
  for (const frame of frames) for (const c of SAFETY_CLASSES) scores[c] = Math.max(scores[c], frame[c]);
  return scores;
}

/** A verdict carrying fixed scores, for fakes and tests (`{ porn: 0.9 }`; other classes share the rest). */
export function scoredVerdict(partial: Partial<SafetyScores>): SafetyVerdict {
  const given = SAFETY_CLASSES.filter((c) => partial[c] !== undefined);
  const rest = Math.max(0, 1 - given.reduce((sum, c) => sum + (partial[c] ?? 0), 0));
  const share = rest / Math.max(1, SAFETY_CLASSES.length - given.length);
  return {
    kind: 'scored',
    scores: scoresFromVector(SAFETY_CLASSES.map((c) => partial[c] ?? share)),
    frames: 1,
  };
}
