import type { ApiWorkflow, ModelFamily } from './types.ts';

export const MODEL_FAMILIES = [
  'sd15',
  'sdxl',
  'flux',
  'sd3',
  'other',
] as const satisfies readonly ModelFamily[];

/** A best guess from node classes and model file names; a manifest's `family` always wins. */
export function guessFamily(graph: ApiWorkflow): ModelFamily {
  const nodes = Object.values(graph);
  const classes = new Set(nodes.map((n) => n.class_type));
  const models = nodes
    .flatMap((n) => [n.inputs['ckpt_name'], n.inputs['unet_name']])
    .filter((v): v is string => typeof v === 'string')
    .join(' ');
  if (classes.has('FluxGuidance') || classes.has('CLIPTextEncodeFlux')) return 'flux';
  if (classes.has('CLIPTextEncodeSD3')) return 'sd3';
  if (classes.has('CLIPTextEncodeSDXL')) return 'sdxl';
  return guessFileFamily(models) ?? 'other';
}

/**
 * The family a model file's name suggests (`juggernautXL_v9` → sdxl, `flux1-dev` → flux), or undefined
 * when the name says nothing (`dreamshaper_8`): the operator's `models.families` tells the rest.
 */
export function guessFileFamily(file: string): ModelFamily | undefined {
  const name = file.toLowerCase();
  if (name.includes('flux')) return 'flux';
  if (name.includes('sd3')) return 'sd3';
  // `juggernautXL`, `RealVisXL_V4`, `sd_xl_base`, `pony-xl`; not `t5xxl`.
  if (/sdxl|sd_xl/.test(name) || /(?<![Xx])XL/.test(file) || /(^|[^a-z])xl([^a-z]|$)/.test(name)) {
    return 'sdxl';
  }
  if (/v1-5|sd15|sd-1|sd1\.5|v1_5|sd_1\.5|sd-v1/.test(name)) return 'sd15';
  return undefined;
}
