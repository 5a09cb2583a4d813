/**
 * Seeds stay within JSON-safe integers, [0, 2^53 − 1]. ComfyUI accepts up to 2^64 − 1, but larger values
 * lose precision in JSON.parse on our side and in every JavaScript client reading the history.
 */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** `-1` or nothing asks for a random seed. */
export const RANDOM_SEED = -1;

/** The seed to use: the requested one, or a random one in [0, 2^53) when none (or -1) was requested. */
export function resolveSeed(requested: number | undefined, random: () => number = Math.random): number {
  if (requested !== undefined && requested !== RANDOM_SEED) return requested;
  // Two draws: one Math.random() carries only 52 random bits, which would leave the lowest bit always 0.
  const high = Math.floor(random() * 2 ** 21);
  const low = Math.floor(random() * 2 ** 32);
  return high * 2 ** 32 + low;
}
