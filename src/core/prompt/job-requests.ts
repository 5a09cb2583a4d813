import { flagKey, MAX_SEED, type ResolvedOptions, standardFlag } from './grammar/index.ts';
import type { LoraChoice } from '../../workflows/types.ts';
import type { JobRequest } from '../jobs/types.ts';

/** What the /imagine pipeline chose besides the grammar's values: model files and LoRAs. */
export interface ModelRequest {
  models?: Record<string, string>;
  loras?: LoraChoice[];
}

/** The job request a resolved prompt (the grammar's output) asks for. */
export function requestFrom(r: ResolvedOptions, chosen: ModelRequest = {}): JobRequest {
  const request: JobRequest = {
    template: r.template,
    prompt: r.prompt,
    negative: r.negative,
    values: r.values,
    seed: r.seed,
  };
  if (chosen.models && Object.keys(chosen.models).length > 0) request.models = { ...chosen.models };
  if (chosen.loras && chosen.loras.length > 0) request.loras = chosen.loras.map((l) => ({ ...l }));
  return request;
}

/**
 * Every job a resolved prompt asks for: one, or `repeat` (`--n` on a template without a batch parameter)
 * with successive seeds from an explicit one (random seeds otherwise), wrapping past `maxSeed`.
 */
export function requestsFrom(
  r: ResolvedOptions,
  maxSeed = MAX_SEED,
  chosen: ModelRequest = {},
): JobRequest[] {
  const first = requestFrom(r, chosen);
  return Array.from({ length: r.repeat ?? 1 }, (_, i) =>
    r.seed === undefined
      ? { ...first, values: { ...first.values } }
      : withSeed(first, nextSeed(r.seed, i, Math.min(maxSeed, MAX_SEED))),
  );
}

/** `seed + i`, wrapping past the largest seed the template accepts (exact even near 2^53). */
export function nextSeed(seed: number, i: number, max: number): number {
  return i <= max - seed ? seed + i : i - (max - seed) - 1;
}

const SEED_PARAMS = new Set((standardFlag('seed')?.params ?? []).map(flagKey));

/** The request with another explicit seed, also in the parameter the grammar wrote it to. */
function withSeed(request: JobRequest, seed: number): JobRequest {
  if (seed === request.seed) return request;
  const values = { ...request.values };
  for (const k of Object.keys(values)) if (SEED_PARAMS.has(flagKey(k))) values[k] = seed;
  return { ...request, values, seed };
}
