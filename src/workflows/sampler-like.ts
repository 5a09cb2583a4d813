import { asLink } from './graph.ts';
import { CUSTOM_ADVANCED_SAMPLERS, KSAMPLER_LIKE } from './node-classes.ts';
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

const FEEDS = /^(model|positive|negative|guider|noise|sigmas)$|pipe|tuple|ctx|context/i;

/**
 * A sampling pass: a known sampler class, or any node with a seed, steps and at least one of cfg,
 * sampler_name, scheduler or denoise that also takes a model, conditioning or a pipe. The last rule keeps
 * out metadata savers and config nodes that merely carry the same widget names.
 */
export function isSampler(node: ApiNode): boolean {
  if (KSAMPLER_LIKE.has(node.class_type) || CUSTOM_ADVANCED_SAMPLERS.has(node.class_type)) return true;
  const has = (names: readonly string[]) => names.some((name) => name in node.inputs);
  const settings = [SAMPLER_WIDGETS.cfg, SAMPLER_WIDGETS.sampler, SAMPLER_WIDGETS.scheduler];
  if (!has(SAMPLER_WIDGETS.seed) || !has(SAMPLER_WIDGETS.steps)) return false;
  if (!settings.some(has) && !has(SAMPLER_WIDGETS.denoise)) return false;
  return Object.entries(node.inputs).some(([name, value]) => FEEDS.test(name) && asLink(value) !== undefined);
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
