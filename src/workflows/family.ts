import type { ApiWorkflow, ModelFamily } from './types.ts';

/** A best guess from node classes and model file names; a manifest's `family` always wins. */
export function guessFamily(graph: ApiWorkflow): ModelFamily {
  const nodes = Object.values(graph);
  const classes = new Set(nodes.map((n) => n.class_type));
  const models = nodes
    .flatMap((n) => [n.inputs['ckpt_name'], n.inputs['unet_name']])
    .filter((v): v is string => typeof v === 'string')
    .join(' ')
    .toLowerCase();
  if (classes.has('FluxGuidance') || classes.has('CLIPTextEncodeFlux') || models.includes('flux'))
    return 'flux';
  if (classes.has('CLIPTextEncodeSD3') || models.includes('sd3')) return 'sd3';
  if (classes.has('CLIPTextEncodeSDXL') || /sdxl|sd_xl|\bxl\b/.test(models)) return 'sdxl';
  if (/v1-5|sd15|sd-1|sd1\.5|v1_5/.test(models)) return 'sd15';
  return 'other';
}
