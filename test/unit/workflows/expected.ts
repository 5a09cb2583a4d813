import type { InputRef } from '../../../src/workflows/types.ts';
import { refs } from './helpers.ts';

/** Expected bindings: parameter name → `'node.input node.input'`; names left out must bind nowhere. */
export type Expected = Partial<Record<string, string>>;

export const ALL_NAMES = [
  'prompt',
  'negative',
  'seed',
  'steps',
  'cfg',
  'sampler',
  'scheduler',
  'denoise',
  'width',
  'height',
  'batch',
  'checkpoint',
  'image',
] as const;

/** The exact `parameters` of an inspect report for `expected` (`guidance` only when given). */
export function parametersOf(expected: Expected): Record<string, InputRef[]> {
  const want: Record<string, InputRef[]> = {};
  for (const name of ALL_NAMES) want[name] = refs(expected[name] ?? '');
  if (expected['guidance']) want['guidance'] = refs(expected['guidance']);
  return want;
}

/** seed, steps, cfg, sampler, scheduler and denoise on one KSampler-like node. */
export function sampler(id: string, seed = 'seed'): Expected {
  return {
    seed: `${id}.${seed}`,
    steps: `${id}.steps`,
    cfg: `${id}.cfg`,
    sampler: `${id}.sampler_name`,
    scheduler: `${id}.scheduler`,
    denoise: `${id}.denoise`,
  };
}

/** width, height and batch on an EmptyLatentImage-like node. */
export function latent(id: string): Expected {
  return { width: `${id}.width`, height: `${id}.height`, batch: `${id}.batch_size` };
}
