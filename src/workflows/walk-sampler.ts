import { pipeInputs } from './pipes.ts';
import { type Binding, pushUnique, type Root, type WalkContext } from './binding.ts';
import { follow, MAX_HOPS } from './graph.ts';
import { resolveWidget, type ValueType } from './resolve-widget.ts';
import { SAMPLER_WIDGETS } from './sampler-like.ts';
import { latentRoot } from './walk-latent.ts';

/** What one pass exposes directly or through its noise/guider/sampler/sigmas nodes, and where to walk on. */
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
  latent?: Root;
}

type Widget = (
  into: Binding[],
  node: string,
  input: string,
  trail: readonly string[],
  type: ValueType,
) => void;

export function samplerParts(ctx: WalkContext, id: string): SamplerParts {
  const { graph } = ctx;
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
    latent: latentRoot(ctx, id),
  };
  const widget: Widget = (into, node, input, trail, type) => {
    const b = resolveWidget(ctx, node, input, trail, type);
    if (b) pushUnique(into, [b]);
  };
  const node = graph[id]!;
  const own = (names: readonly string[]) => names.find((name) => name in node.inputs);
  const set = (into: Binding[], names: readonly string[], type: ValueType) => {
    const name = own(names);
    if (name) widget(into, id, name, [], type);
  };
  set(parts.seed, SAMPLER_WIDGETS.seed, 'number');
  set(parts.steps, SAMPLER_WIDGETS.steps, 'number');
  set(parts.cfg, SAMPLER_WIDGETS.cfg, 'number');
  set(parts.sampler, SAMPLER_WIDGETS.sampler, 'string');
  set(parts.scheduler, SAMPLER_WIDGETS.scheduler, 'string');
  set(parts.denoise, SAMPLER_WIDGETS.denoise, 'number');
  const root = (name: string): Root => ({ node: id, input: name, trail: [] });
  const pipes = pipeInputs(ctx, id).map(root);
  for (const side of ['positive', 'negative', 'model'] as const) {
    parts[side].push(...(side in node.inputs ? [root(side)] : pipes));
  }

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
  if (guider) addGuider(ctx, guider.id, guider.trail, parts, widget);
  return parts;
}

function addGuider(
  ctx: WalkContext,
  id: string,
  trail: readonly string[],
  parts: SamplerParts,
  widget: Widget,
): void {
  const inputs = ctx.graph[id]?.inputs ?? {};
  widget(parts.cfg, id, 'cfg', trail, 'number');
  for (const name of ['positive', 'conditioning', 'cond1', 'cond2']) {
    if (name in inputs) parts.positive.push({ node: id, input: name, trail });
  }
  if ('negative' in inputs) parts.negative.push({ node: id, input: 'negative', trail });
  if ('model' in inputs) parts.model.push({ node: id, input: 'model', trail });
}
