import { type Binding, pushUnique, type Root, type WalkLog } from './binding.ts';
import { asLink, inputLabel } from './graph.ts';
import { CUSTOM_ADVANCED_SAMPLERS, KSAMPLER_LIKE } from './node-classes.ts';
import { resolveWidget, type ValueType } from './resolve-widget.ts';
import type { ApiNode, ApiWorkflow } from './types.ts';

/** What one sampler exposes directly or through its noise/guider/sampler/sigmas nodes. */
export interface SamplerParts {
  id: string;
  seed: Binding[];
  steps: Binding[];
  cfg: Binding[];
  sampler: Binding[];
  scheduler: Binding[];
  denoise: Binding[];
  positive: Root[];
  negative: Root[];
  model: Root[];
  latent: Root[];
}

export function isSampler(node: ApiNode): boolean {
  if (KSAMPLER_LIKE.has(node.class_type) || CUSTOM_ADVANCED_SAMPLERS.has(node.class_type)) return true;
  // Custom-node KSamplers ("KSampler (Efficient)", …) share the stock inputs.
  const has = (name: string) => name in node.inputs;
  return has('positive') && has('negative') && has('latent_image') && (has('seed') || has('noise_seed'));
}

export function samplerParts(graph: ApiWorkflow, id: string, log: WalkLog): SamplerParts {
  const parts: SamplerParts = {
    id,
    seed: [],
    steps: [],
    cfg: [],
    sampler: [],
    scheduler: [],
    denoise: [],
    positive: [],
    negative: [],
    model: [],
    latent: [{ node: id, input: 'latent_image', trail: [] }],
  };
  const widget = (
    into: Binding[],
    node: string,
    input: string,
    trail: readonly string[],
    type: ValueType,
  ) => {
    const b = resolveWidget(graph, node, input, trail, type, log);
    if (b) pushUnique(into, [b]);
  };
  const node = graph[id]!;
  widget(parts.seed, id, 'seed' in node.inputs ? 'seed' : 'noise_seed', [], 'number');
  widget(parts.steps, id, 'steps', [], 'number');
  widget(parts.cfg, id, 'cfg', [], 'number');
  widget(parts.sampler, id, 'sampler_name', [], 'string');
  widget(parts.scheduler, id, 'scheduler', [], 'string');
  widget(parts.denoise, id, 'denoise', [], 'number');
  if ('positive' in node.inputs) parts.positive.push({ node: id, input: 'positive', trail: [] });
  if ('negative' in node.inputs) parts.negative.push({ node: id, input: 'negative', trail: [] });
  if ('model' in node.inputs) parts.model.push({ node: id, input: 'model', trail: [] });

  const noise = follow(graph, id, 'noise');
  if (noise) widget(parts.seed, noise.id, 'noise_seed', noise.trail, 'number');
  const sampler = follow(graph, id, 'sampler');
  if (sampler) widget(parts.sampler, sampler.id, 'sampler_name', sampler.trail, 'string');
  // Bounded: a malformed graph may link in a cycle.
  let s = follow(graph, id, 'sigmas');
  for (let hops = 0; s && hops < MAX_HOPS; hops++, s = follow(graph, s.id, 'sigmas', s.trail)) {
    widget(parts.steps, s.id, 'steps', s.trail, 'number');
    widget(parts.scheduler, s.id, 'scheduler', s.trail, 'string');
    widget(parts.denoise, s.id, 'denoise', s.trail, 'number');
  }
  const guider = follow(graph, id, 'guider');
  if (guider) addGuider(graph, guider.id, guider.trail, parts, widget);
  return parts;
}

function addGuider(
  graph: ApiWorkflow,
  id: string,
  trail: readonly string[],
  parts: SamplerParts,
  widget: (into: Binding[], node: string, input: string, trail: readonly string[], type: ValueType) => void,
): void {
  const inputs = graph[id]?.inputs ?? {};
  widget(parts.cfg, id, 'cfg', trail, 'number');
  for (const name of ['positive', 'conditioning', 'cond1', 'cond2']) {
    if (name in inputs) parts.positive.push({ node: id, input: name, trail });
  }
  if ('negative' in inputs) parts.negative.push({ node: id, input: 'negative', trail });
  if ('model' in inputs) parts.model.push({ node: id, input: 'model', trail });
}

export const MAX_HOPS = 64;

interface Followed {
  id: string;
  trail: readonly string[];
}

/** The node linked into `node.input`, with the walked trail extended by that input. */
export function follow(
  graph: ApiWorkflow,
  node: string,
  input: string,
  trail: readonly string[] = [],
): Followed | undefined {
  const link = asLink(graph[node]?.inputs[input]);
  if (!link || !graph[link.node]) return undefined;
  return { id: link.node, trail: [...trail, inputLabel(graph, node, input)] };
}
