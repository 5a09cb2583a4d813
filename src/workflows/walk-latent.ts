import { numberWidget, SIZE_WIDGETS } from './all-in-one.ts';
import { ARROW, type Binding, infoOf, type Root, type WalkContext, warn } from './binding.ts';
import { type Followed, follow, linkedInputs, MAX_HOPS, nodeLabel } from './graph.ts';
import { IMAGE_LOADERS } from './node-classes.ts';
import { inputType, outputSlot } from './object-info.ts';
import { pipeInputs } from './pipes.ts';
import { resolveWidget } from './resolve-widget.ts';
import { isSampler } from './sampler-like.ts';

/** What a pass starts from: an empty latent, a loaded image, another pass, or something else (LoadLatent…). */
export type LatentStart = 'empty' | 'image' | 'sampler' | 'other' | 'none';

export interface LatentFound {
  start: LatentStart;
  /** The pass whose result this one continues (refiner, hires fix, detailer, tiled upscaler). */
  after?: string;
  width: Binding[];
  height: Binding[];
  batch: Binding[];
  image: Binding[];
}

const LATENT_INPUTS = ['latent_image', 'samples', 'latent', 'samples_to', 'samples1'];
const IMAGE_INPUTS = ['pixels', 'image', 'images', 'upscaled_image'];
const MEDIA_TYPES = new Set(['LATENT', 'IMAGE']);

/** The input a pass reads its latent or image from, in that order of preference, else its pipe. */
export function latentRoot(ctx: WalkContext, id: string): Root | undefined {
  const linked = linkedInputs(ctx.graph, id);
  const input =
    [...LATENT_INPUTS, ...IMAGE_INPUTS].find((name) => linked.includes(name)) ?? pipeInputs(ctx, id)[0];
  return input === undefined ? undefined : { node: id, input, trail: [] };
}

/**
 * Follows a pass's latent (or image, or pipe) back to where it is made: an empty latent (width, height,
 * batch, also as an all-in-one loader's `empty_latent_width`…), a loaded image (`image`), or another pass.
 */
export function walkLatent(ctx: WalkContext, from: Root): LatentFound {
  const found: LatentFound = { start: 'none', width: [], height: [], batch: [], image: [] };
  let at = follow(ctx.graph, from.node, from.input, from.trail);
  let viaPipe = pipeInputs(ctx, from.node).includes(from.input);
  for (let hops = 0; at && hops < MAX_HOPS; hops++) {
    const here: Followed = at;
    const node = ctx.graph[here.id]!;
    if (isSampler(ctx, here.id)) return { ...found, start: 'sampler', after: here.id };
    const loader = IMAGE_LOADERS[node.class_type];
    if (loader) {
      const b = resolveWidget(ctx, here.id, loader, here.trail, 'string');
      if (b) found.image.push(b);
      return { ...found, start: 'image' };
    }
    const next = viaPipe ? pipeNext(ctx, here.id) : mediaNext(ctx, here);
    if (!next) return addSize(ctx, here, found);
    if (LATENT_INPUTS.includes(next) && typeof node.inputs['width'] === 'number') {
      warn(
        ctx.log,
        `${[...here.trail, nodeLabel(ctx.graph, here.id)].join(ARROW)} sets its own width/height; not bound`,
      );
    }
    viaPipe = pipeInputs(ctx, here.id).includes(next);
    at = follow(ctx.graph, here.id, next, here.trail);
  }
  return found;
}

/** Through a pipe: the latent put into it, else the pipe it extends. */
function pipeNext(ctx: WalkContext, id: string): string | undefined {
  const linked = linkedInputs(ctx.graph, id);
  return LATENT_INPUTS.find((name) => linked.includes(name)) ?? pipeInputs(ctx, id)[0];
}

/** The LATENT or IMAGE input that the output we arrived by is made from (same type first). */
function mediaNext(ctx: WalkContext, at: Followed): string | undefined {
  const info = infoOf(ctx, at.id);
  const linked = linkedInputs(ctx.graph, at.id);
  const declared = linked.filter((name) => MEDIA_TYPES.has(inputType(info, name) ?? ''));
  if (declared.length > 0) {
    const outType = outputSlot(info, at.output)?.type;
    return declared.find((name) => inputType(info, name) === outType) ?? declared[0];
  }
  const byName = [...LATENT_INPUTS, ...IMAGE_INPUTS].find((name) => linked.includes(name));
  if (byName) return byName;
  return info ? undefined : pipeInputs(ctx, at.id)[0];
}

function addSize(ctx: WalkContext, at: Followed, found: LatentFound): LatentFound {
  const add = (into: Binding[], names: readonly string[]) => {
    const widget = numberWidget(ctx, at.id, names);
    const b = widget ? resolveWidget(ctx, at.id, widget, at.trail, 'number') : undefined;
    if (b) into.push(b);
  };
  add(found.width, SIZE_WIDGETS.width);
  add(found.height, SIZE_WIDGETS.height);
  add(found.batch, SIZE_WIDGETS.batch);
  const classType = ctx.graph[at.id]!.class_type;
  const empty = found.width.length > 0 || /empty/i.test(classType);
  return { ...found, start: empty ? 'empty' : 'other' };
}
