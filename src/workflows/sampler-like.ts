import { infoOf, type WalkContext } from './binding.ts';
import { linkedInputs } from './graph.ts';
import { CUSTOM_ADVANCED_SAMPLERS, KSAMPLER_LIKE } from './node-classes.ts';
import { inputType } from './object-info.ts';
import { pipeInputs } from './pipes.ts';
import type { ApiNode } from './types.ts';

/** Widget names samplers share, stock or custom (FaceDetailer, UltimateSDUpscale, KSampler (Efficient)…). */
export const SAMPLER_WIDGETS = {
  seed: ['seed', 'noise_seed'],
  steps: ['steps'],
  cfg: ['cfg'],
  sampler: ['sampler_name'],
  scheduler: ['scheduler'],
  denoise: ['denoise'],
} as const;

const FEEDS = /^(model|positive|negative|guider|noise|sigmas)$/;
const FEED_TYPES = new Set(['MODEL', 'CONDITIONING', 'GUIDER', 'NOISE', 'SIGMAS']);

/**
 * A sampling pass: a known sampler class, or any node with a seed, steps and at least one of cfg,
 * sampler_name, scheduler or denoise that also takes a model, conditioning or a pipe (by declared type when
 * /object_info knows the class, else by input name). The last rule keeps out metadata savers and config
 * nodes that merely carry the same widget names (SDPromptSaver's `positive` is text, not conditioning).
 */
export function isSampler(ctx: WalkContext, id: string): boolean {
  const node = ctx.graph[id]!;
  if (KSAMPLER_LIKE.has(node.class_type) || CUSTOM_ADVANCED_SAMPLERS.has(node.class_type)) return true;
  const has = (names: readonly string[]) => names.some((name) => name in node.inputs);
  const settings = [SAMPLER_WIDGETS.cfg, SAMPLER_WIDGETS.sampler, SAMPLER_WIDGETS.scheduler];
  if (!has(SAMPLER_WIDGETS.seed) || !has(SAMPLER_WIDGETS.steps)) return false;
  if (!settings.some(has) && !has(SAMPLER_WIDGETS.denoise)) return false;
  const info = infoOf(ctx, id);
  if (pipeInputs(ctx, id).length > 0) return true;
  return linkedInputs(ctx.graph, id).some((name) => {
    const declared = inputType(info, name);
    return declared !== undefined ? FEED_TYPES.has(declared) : FEEDS.test(name);
  });
}

/**
 * Whether a pass hands its unfinished noise to the next one (KSamplerAdvanced, Inspire's BOOLEAN
 * variant): the next pass then continues the same schedule and must use the same total steps.
 */
export function returnsLeftoverNoise(node: ApiNode): boolean {
  const v = node.inputs['return_with_leftover_noise'];
  return v === 'enable' || v === true;
}

/** Whether a pass adds fresh noise (`add_noise`), which a continuation of a leftover-noise pass does not. */
export function addsNoise(node: ApiNode): boolean {
  const v = node.inputs['add_noise'];
  return !(v === 'disable' || v === false);
}
