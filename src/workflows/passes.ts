import type { WalkContext } from './binding.ts';
import { returnsLeftoverNoise } from './sampler-like.ts';
import { type LatentFound, walkLatent } from './walk-latent.ts';
import type { SamplerParts } from './walk-sampler.ts';

/** One sampling pass and where it sits among the others. */
export interface Pass {
  parts: SamplerParts;
  latent: LatentFound;
  /** 0 for a pass that starts from an empty latent or an image; n + 1 for one that continues a depth-n pass. */
  depth: number;
  /** The pass whose leftover noise this one finishes (KSamplerAdvanced base → refiner). */
  continues?: string;
}

/** The settings the multi-pass policy assigns per pass. */
export const PASS_SETTINGS = ['steps', 'cfg', 'sampler', 'scheduler', 'denoise'] as const;
export type PassSetting = (typeof PASS_SETTINGS)[number];

/** Walks each pass's latent/image/pipe input to order the passes: base, refiner, hires fix, detailer… */
export function orderPasses(ctx: WalkContext, samplers: SamplerParts[]): Pass[] {
  const passes: Pass[] = samplers.map((parts) => ({
    parts,
    latent: parts.latent
      ? walkLatent(ctx, parts.latent)
      : { start: 'none', width: [], height: [], batch: [], image: [] },
    depth: 0,
  }));
  const byId = new Map(passes.map((p) => [p.parts.id, p]));
  const depthOf = (p: Pass, seen: Set<string>): number => {
    const before = p.latent.after === undefined ? undefined : byId.get(p.latent.after);
    if (!before || seen.has(p.parts.id)) return 0;
    seen.add(p.parts.id);
    return depthOf(before, seen) + 1;
  };
  for (const p of passes) {
    p.depth = depthOf(p, new Set());
    const before = p.latent.after === undefined ? undefined : ctx.graph[p.latent.after];
    if (before && returnsLeftoverNoise(before)) p.continues = p.latent.after;
  }
  return passes;
}

/**
 * Which passes each setting is written to:
 * - `steps`: every first pass (depth 0) and every pass that finishes a first pass's leftover noise
 *   (the switch step, `end_at_step`/`start_at_step`, is kept);
 * - `cfg`, `sampler`, `scheduler`: the first passes only; later passes keep their own;
 * - `denoise`: the earliest passes that start from a non-empty latent (an image, another pass's result,
 *   a loaded latent), so img2img, hires fix or a detailer; a txt2img graph with none uses its first pass.
 */
export function passesFor(setting: PassSetting, passes: readonly Pass[]): Pass[] {
  const first = passes.filter((p) => p.depth === 0);
  if (setting === 'steps') return passes.filter((p) => p.depth === 0 || chainsToFirst(p, passes));
  if (setting !== 'denoise') return first;
  const nonEmpty = passes.filter(
    (p) => p.parts.denoise.length > 0 && ['image', 'sampler', 'other'].includes(p.latent.start),
  );
  if (nonEmpty.length === 0) return first;
  const earliest = Math.min(...nonEmpty.map((p) => p.depth));
  return nonEmpty.filter((p) => p.depth === earliest);
}

function chainsToFirst(p: Pass, passes: readonly Pass[]): boolean {
  let at: Pass | undefined = p;
  for (let hops = 0; at?.continues !== undefined && hops < passes.length; hops++) {
    const id: string = at.continues;
    at = passes.find((q) => q.parts.id === id);
    if (at?.depth === 0) return true;
  }
  return false;
}
