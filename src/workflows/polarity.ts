/** Which side of the guidance a conditioning (or the prompt text that makes it) is on. */
export type Polarity = 'positive' | 'negative';

const POSITIVE_WORDS = new Set(['positive', 'pos']);
const NEGATIVE_WORDS = new Set(['negative', 'neg']);

/**
 * The side an input or output name says it carries: `positive`, `base_pos`, `positive_1`, `POSITIVE`,
 * `CONDITIONING+` (Efficiency nodes); undefined for neutral names (`conditioning`, `cond1`).
 * @example polarityOf('CONDITIONING-') // 'negative'
 */
export function polarityOf(name: string | undefined): Polarity | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  if (lower.endsWith('+')) return 'positive';
  if (lower.endsWith('-')) return 'negative';
  const words = lower.split(/[^a-z]+/);
  if (words.some((w) => POSITIVE_WORDS.has(w))) return 'positive';
  if (words.some((w) => NEGATIVE_WORDS.has(w))) return 'negative';
  return undefined;
}

export function opposite(p: Polarity): Polarity {
  return p === 'positive' ? 'negative' : 'positive';
}
