import { type Binding, pushUnique, type WalkContext, warn } from './binding.ts';
import { IMAGE_LOADERS } from './node-classes.ts';
import type { ObjectInfo } from './object-info.ts';
import { findOutputs } from './output-nodes.ts';
import { orderPasses, PASS_SETTINGS, type Pass, passesFor } from './passes.ts';
import { resolveWidget } from './resolve-widget.ts';
import { isSampler } from './sampler-like.ts';
import type { ApiWorkflow } from './types.ts';
import { walkConditioning } from './walk-conditioning.ts';
import { walkModel } from './walk-model.ts';
import { samplerParts } from './walk-sampler.ts';

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

/** One sampling pass as `inspect` shows it: what it follows and which settings it keeps as exported. */
export interface PassSummary {
  node: string;
  class_type: string;
  /** The pass whose result this one starts from. */
  after?: string;
  /** The pass whose leftover noise this one finishes. */
  continues?: string;
  keeps: string[];
}

export interface Discovery {
  bindings: Record<DiscoveredName, Binding[]>;
  outputs: string[];
  passes: PassSummary[];
  warnings: string[];
}

/**
 * Finds where each common parameter goes by walking the graph from its sampling passes, never from node
 * ids. `seed` goes to every pass; `prompt`/`negative`/`guidance` to every encoder on any pass's paths;
 * the latent size, image and checkpoint to the first passes; `steps`, `cfg`, `sampler`, `scheduler` and
 * `denoise` follow the multi-pass policy of `passesFor` (see workflows/README.md).
 */
export function discoverParameters(graph: ApiWorkflow, objectInfo?: ObjectInfo): Discovery {
  const ctx: WalkContext = { graph, objectInfo, log: { warnings: [] } };
  const bindings = Object.fromEntries(
    DISCOVERED_NAMES.map((n) => [n, [] as Binding[]]),
  ) as Discovery['bindings'];
  const add = (name: DiscoveredName, items: readonly Binding[]) => pushUnique(bindings[name], items);

  const samplers = Object.keys(graph)
    .filter((id) => isSampler(ctx, id))
    .map((id) => samplerParts(ctx, id));
  if (samplers.length === 0) {
    warn(
      ctx.log,
      'no sampler found (no node with seed and steps widgets that takes a model, conditioning or pipe)',
    );
  }
  const passes = orderPasses(ctx, samplers);

  for (const { parts, latent, depth } of passes) {
    add('seed', parts.seed);
    for (const root of parts.positive) {
      const found = walkConditioning(ctx, root, 'positive');
      add('prompt', found.text);
      add('guidance', found.guidance);
    }
    for (const root of parts.negative) add('negative', walkConditioning(ctx, root, 'negative').text);
    if (depth > 0) continue;
    add('width', latent.width);
    add('height', latent.height);
    add('batch', latent.batch);
    add('image', latent.image);
    for (const root of parts.model) {
      const b = walkModel(ctx, root);
      if (b) add('checkpoint', [b]);
    }
  }
  for (const setting of PASS_SETTINGS) {
    for (const pass of passesFor(setting, passes)) add(setting, pass.parts[setting]);
  }
  dropSharedNegatives(bindings, ctx);
  if (bindings.image.length === 0) add('image', loneImageLoader(ctx));
  if (samplers.length > 0) {
    for (const name of ['prompt', 'seed'] as const) {
      if (bindings[name].length === 0) warn(ctx.log, `no ${name} found on any sampler`);
    }
  }
  const outputs = findOutputs(ctx);
  if (outputs.length === 0) warn(ctx.log, 'no output node found (SaveImage, PreviewImage, …)');
  return { bindings, outputs, passes: summarize(graph, passes, bindings), warnings: ctx.log.warnings };
}

function summarize(
  graph: ApiWorkflow,
  passes: readonly Pass[],
  bindings: Discovery['bindings'],
): PassSummary[] {
  return passes.map(({ parts, latent, continues }) => {
    const bound = (b: Binding, name: DiscoveredName) =>
      bindings[name].some((x) => x.node === b.node && x.input === b.input);
    const keeps = PASS_SETTINGS.filter(
      (name) => parts[name].length > 0 && !parts[name].some((b) => bound(b, name)),
    );
    return {
      node: parts.id,
      class_type: graph[parts.id]!.class_type,
      ...(latent.after !== undefined ? { after: latent.after } : {}),
      ...(continues !== undefined ? { continues } : {}),
      keeps,
    };
  });
}

/** One encoder feeding both sides (or ConditioningZeroOut-style graphs) must not get the negative prompt. */
function dropSharedNegatives(bindings: Discovery['bindings'], ctx: WalkContext): void {
  const isPositive = (b: Binding) => bindings.prompt.some((p) => p.node === b.node && p.input === b.input);
  for (const b of bindings.negative.filter(isPositive)) {
    warn(ctx.log, `${b.via} feeds both positive and negative; kept as prompt only`);
  }
  bindings.negative = bindings.negative.filter((b) => !isPositive(b));
}

/** Graphs without a sampler path to an image (upscale, ControlNet or InstantID inputs) still bind a single loader. */
function loneImageLoader(ctx: WalkContext): Binding[] {
  const loaders = Object.keys(ctx.graph).filter((id) => IMAGE_LOADERS[ctx.graph[id]!.class_type]);
  if (loaders.length !== 1) return [];
  const id = loaders[0]!;
  const b = resolveWidget(ctx, id, IMAGE_LOADERS[ctx.graph[id]!.class_type]!, [], 'string');
  return b ? [b] : [];
}
