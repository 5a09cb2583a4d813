import type { Binding, Root, WalkLog } from './binding.ts';
import { MODEL_LOADER_INPUTS } from './node-classes.ts';
import { resolveWidget } from './resolve-widget.ts';
import type { ApiWorkflow } from './types.ts';
import { follow, MAX_HOPS } from './walk-sampler.ts';

/** Follows `model` links (LoRA loaders, ModelSampling…, FreeU…) back to the loader that names the model. */
export function walkModel(graph: ApiWorkflow, from: Root, log: WalkLog): Binding | undefined {
  let at = follow(graph, from.node, from.input, from.trail);
  for (let hops = 0; at && hops < MAX_HOPS; hops++) {
    const node = graph[at.id]!;
    const input = MODEL_LOADER_INPUTS[node.class_type];
    if (input) return resolveWidget(graph, at.id, input, at.trail, 'string', log);
    at = follow(graph, at.id, 'model', at.trail);
  }
  return undefined;
}
