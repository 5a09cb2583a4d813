import { type Binding, pushUnique, type WalkLog } from './binding.ts';
import { IMAGE_LOADERS, OUTPUT_NODES } from './node-classes.ts';
import { isOutputNode, type ObjectInfo } from './object-info.ts';
import { resolveWidget } from './resolve-widget.ts';
import type { ApiWorkflow } from './types.ts';
import { walkConditioning } from './walk-conditioning.ts';
import { walkLatent } from './walk-latent.ts';
import { walkModel } from './walk-model.ts';
import { isSampler, type SamplerParts, samplerParts } from './walk-sampler.ts';

/** The parameters discovery looks for, in the order `inspect` prints them. */
export const DISCOVERED_NAMES = [
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
  'guidance',
] as const;
export type DiscoveredName = (typeof DISCOVERED_NAMES)[number];

export interface Discovery {
  bindings: Record<DiscoveredName, Binding[]>;
  outputs: string[];
  warnings: string[];
}

/**
 * Finds where each common parameter goes by walking the graph from its samplers; never from node ids.
 *
 * Rules when there are several samplers: `seed` goes to every sampler; `prompt`/`negative` to every text
 * widget on any sampler's positive/negative path; `steps`, `cfg`, `sampler`, `scheduler`, `denoise` and the
 * latent size only to the *first* samplers, those whose latent does not come from another sampler (the
 * base pass; a refiner or hires-fix pass keeps its own settings).
 */
export function discoverParameters(graph: ApiWorkflow, objectInfo?: ObjectInfo): Discovery {
  const log: WalkLog = { warnings: [] };
  const bindings = Object.fromEntries(
    DISCOVERED_NAMES.map((n) => [n, [] as Binding[]]),
  ) as Discovery['bindings'];
  const add = (name: DiscoveredName, items: readonly Binding[]) => pushUnique(bindings[name], items);

  const samplers = Object.keys(graph)
    .filter((id) => isSampler(graph[id]!))
    .map((id) => samplerParts(graph, id, log));
  if (samplers.length === 0) log.warnings.push('no sampler found');

  for (const parts of samplers) {
    add('seed', parts.seed);
    for (const root of parts.positive) {
      const found = walkConditioning(graph, root, log);
      add('prompt', found.text);
      add('guidance', found.guidance);
    }
    for (const root of parts.negative) add('negative', walkConditioning(graph, root, log).text);
    const latent = parts.latent.map((root) => walkLatent(graph, root, log));
    if (latent.some((l) => l.fromSampler)) continue;
    addFirstSampler(parts, add);
    for (const l of latent) {
      add('width', l.width);
      add('height', l.height);
      add('batch', l.batch);
      add('image', l.image);
    }
    for (const root of parts.model) {
      const b = walkModel(graph, root, log);
      if (b) add('checkpoint', [b]);
    }
  }
  dropSharedNegatives(bindings, log);
  if (bindings.image.length === 0) add('image', loneImageLoader(graph, log));
  warnMissing(samplers, bindings, log);

  const outputs = Object.keys(graph).filter((id) =>
    isOutputNode(graph[id]!.class_type, objectInfo, OUTPUT_NODES),
  );
  if (outputs.length === 0) log.warnings.push('no output node found (SaveImage, PreviewImage, …)');
  return { bindings, outputs, warnings: log.warnings };
}

function addFirstSampler(
  parts: SamplerParts,
  add: (name: DiscoveredName, items: readonly Binding[]) => void,
) {
  add('steps', parts.steps);
  add('cfg', parts.cfg);
  add('sampler', parts.sampler);
  add('scheduler', parts.scheduler);
  add('denoise', parts.denoise);
}

/** One encoder feeding both sides (or ConditioningZeroOut-style graphs) must not get the negative prompt. */
function dropSharedNegatives(bindings: Discovery['bindings'], log: WalkLog): void {
  const isPositive = (b: Binding) => bindings.prompt.some((p) => p.node === b.node && p.input === b.input);
  const shared = bindings.negative.filter(isPositive);
  for (const b of shared) log.warnings.push(`${b.via} feeds both positive and negative; kept as prompt only`);
  bindings.negative = bindings.negative.filter((b) => !isPositive(b));
}

/** Graphs without a sampler path to an image (upscale, ControlNet-only inputs) still bind a single loader. */
function loneImageLoader(graph: ApiWorkflow, log: WalkLog): Binding[] {
  const loaders = Object.keys(graph).filter((id) => IMAGE_LOADERS[graph[id]!.class_type]);
  if (loaders.length !== 1) return [];
  const id = loaders[0]!;
  const b = resolveWidget(graph, id, IMAGE_LOADERS[graph[id]!.class_type]!, [], 'string', log);
  return b ? [b] : [];
}

function warnMissing(samplers: SamplerParts[], bindings: Discovery['bindings'], log: WalkLog): void {
  if (samplers.length === 0) return;
  for (const name of ['prompt', 'seed'] as const) {
    if (bindings[name].length === 0) log.warnings.push(`no ${name} found on any sampler`);
  }
}
