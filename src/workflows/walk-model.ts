import { CHECKPOINT_WIDGETS, textWidget } from './all-in-one.ts';
import type { Binding, Root, WalkContext } from './binding.ts';
import { follow, linkedInputs, MAX_HOPS } from './graph.ts';
import { MODEL_LOADER_INPUTS } from './node-classes.ts';
import { pipeInputs } from './pipes.ts';
import { resolveWidget } from './resolve-widget.ts';

/**
 * Follows `model` links (LoRA loaders, ModelSampling…, FreeU…, samplers that pass their model on) and
 * pipes back to the loader that names the model: a known loader, or any node with a `ckpt_name` /
 * `unet_name` widget and no model coming in (Efficient Loader, easy fullLoader).
 */
export function walkModel(ctx: WalkContext, from: Root): Binding | undefined {
  let at = follow(ctx.graph, from.node, from.input, from.trail);
  for (let hops = 0; at && hops < MAX_HOPS; hops++) {
    const node = ctx.graph[at.id]!;
    const known = MODEL_LOADER_INPUTS[node.class_type];
    if (known) return resolveWidget(ctx, at.id, known, at.trail, 'string');
    const linked = linkedInputs(ctx.graph, at.id);
    const next = linked.includes('model') ? 'model' : pipeInputs(ctx, at.id)[0];
    if (!next) {
      const widget = textWidget(ctx, at.id, CHECKPOINT_WIDGETS);
      return widget ? resolveWidget(ctx, at.id, widget, at.trail, 'string') : undefined;
    }
    at = follow(ctx.graph, at.id, next, at.trail);
  }
  return undefined;
}
