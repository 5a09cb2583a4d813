import type { Binding, Root, WalkLog } from './binding.ts';
import { ARROW } from './binding.ts';
import { nodeLabel } from './graph.ts';
import { IMAGE_LOADERS } from './node-classes.ts';
import { resolveWidget } from './resolve-widget.ts';
import type { ApiWorkflow } from './types.ts';
import { follow, isSampler, MAX_HOPS } from './walk-sampler.ts';

export interface LatentFound {
  /** True when the latent comes out of another sampler (refiner, hires-fix second pass). */
  fromSampler: boolean;
  width: Binding[];
  height: Binding[];
  batch: Binding[];
  image: Binding[];
}

const LATENT_INPUTS = ['samples', 'latent', 'latent_image', 'samples_to', 'samples1'];
const IMAGE_INPUTS = ['pixels', 'image', 'images'];

/**
 * Follows a sampler's latent input back to where the latent is made: an empty latent (width, height,
 * batch), an encoded image (LoadImage → `image`), or another sampler.
 */
export function walkLatent(graph: ApiWorkflow, from: Root, log: WalkLog): LatentFound {
  const found: LatentFound = { fromSampler: false, width: [], height: [], batch: [], image: [] };
  let at = follow(graph, from.node, from.input, from.trail);
  for (let hops = 0; at && hops < MAX_HOPS; hops++) {
    const node = graph[at.id]!;
    const next: typeof at = at;
    if (isSampler(node)) {
      found.fromSampler = true;
      return found;
    }
    const loader = IMAGE_LOADERS[node.class_type];
    if (loader) {
      const b = resolveWidget(graph, next.id, loader, next.trail, 'string', log);
      if (b) found.image.push(b);
      return found;
    }
    const latentIn = LATENT_INPUTS.find((name) => follow(graph, next.id, name));
    const imageIn = IMAGE_INPUTS.find((name) => follow(graph, next.id, name));
    if (!latentIn && !imageIn) {
      addSize(graph, next.id, next.trail, found, log);
      return found;
    }
    if (latentIn && typeof node.inputs['width'] === 'number') {
      log.warnings.push(
        `${[...next.trail, nodeLabel(graph, next.id)].join(ARROW)} sets its own width/height; not bound`,
      );
    }
    at = follow(graph, next.id, (latentIn ?? imageIn)!, next.trail);
  }
  return found;
}

function addSize(
  graph: ApiWorkflow,
  id: string,
  trail: readonly string[],
  found: LatentFound,
  log: WalkLog,
): void {
  const add = (into: Binding[], input: string) => {
    const b = resolveWidget(graph, id, input, trail, 'number', log);
    if (b) into.push(b);
  };
  add(found.width, 'width');
  add(found.height, 'height');
  add(found.batch, 'batch_size');
}
