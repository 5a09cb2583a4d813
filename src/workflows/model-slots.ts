import { asLink } from './graph.ts';
import type { ApiWorkflow, InputRef, ModelFamily, ModelKind, ModelSlot } from './types.ts';

/** Loader classes and the inputs naming their files, by what they load (ComfyUI's models folders). */
export const LOADER_INPUTS: Record<string, readonly { input: string; kind: ModelKind }[]> = {
  CheckpointLoaderSimple: [{ input: 'ckpt_name', kind: 'checkpoint' }],
  CheckpointLoader: [{ input: 'ckpt_name', kind: 'checkpoint' }],
  ImageOnlyCheckpointLoader: [{ input: 'ckpt_name', kind: 'checkpoint' }],
  unCLIPCheckpointLoader: [{ input: 'ckpt_name', kind: 'checkpoint' }],
  UNETLoader: [{ input: 'unet_name', kind: 'diffusion_model' }],
  UnetLoaderGGUF: [{ input: 'unet_name', kind: 'diffusion_model' }],
  VAELoader: [{ input: 'vae_name', kind: 'vae' }],
  CLIPLoader: [{ input: 'clip_name', kind: 'text_encoder' }],
  DualCLIPLoader: [
    { input: 'clip_name1', kind: 'text_encoder' },
    { input: 'clip_name2', kind: 'text_encoder' },
  ],
  TripleCLIPLoader: [
    { input: 'clip_name1', kind: 'text_encoder' },
    { input: 'clip_name2', kind: 'text_encoder' },
    { input: 'clip_name3', kind: 'text_encoder' },
  ],
  UpscaleModelLoader: [{ input: 'model_name', kind: 'upscale_model' }],
};

/** Kinds whose file is "the model" of a template: what `--model FILE` replaces and LoRAs patch. */
export const MAIN_KINDS: ReadonlySet<ModelKind> = new Set(['checkpoint', 'diffusion_model']);

/**
 * Every model file the graph loads, as named slots: `checkpoint`, `diffusion_model`, `vae`,
 * `text_encoder`, `text_encoder_2`… in node order, except that `main` (the loader the first sampling
 * passes take their model from, found by discovery) comes first. A second loader of a kind is `<kind>_2`.
 * An all-in-one loader's checkpoint widget found by discovery is the main slot when no plain loader is.
 * Loaders whose file comes through a link are left out: their value is not the loader's to change.
 */
export function findModelSlots(
  graph: ApiWorkflow,
  family: ModelFamily,
  main: readonly InputRef[] = [],
): ModelSlot[] {
  const found: Omit<ModelSlot, 'name'>[] = [];
  const ids = Object.keys(graph).sort(byNodeId);
  const first = main.find((m) => LOADER_INPUTS[graph[m.node]?.class_type ?? '']);
  if (first) ids.sort((a, b) => Number(b === first.node) - Number(a === first.node));
  for (const node of ids) {
    const { class_type: loader, inputs } = graph[node]!;
    for (const { input, kind } of LOADER_INPUTS[loader] ?? []) {
      const value = inputs[input];
      if (typeof value !== 'string' || asLink(value)) continue;
      found.push({ kind, node, input, loader, default: value, family });
    }
  }
  // All-in-one loaders (Efficient Loader…) name their checkpoint in a widget discovery already found.
  const aio = main.find((m) => !LOADER_INPUTS[graph[m.node]?.class_type ?? '']);
  const value = aio ? graph[aio.node]?.inputs[aio.input] : undefined;
  if (aio && !first && typeof value === 'string') {
    const loader = graph[aio.node]!.class_type;
    found.unshift({ kind: 'checkpoint', node: aio.node, input: aio.input, loader, default: value, family });
  }
  const counts = new Map<ModelKind, number>();
  return found.map((slot) => {
    const n = (counts.get(slot.kind) ?? 0) + 1;
    counts.set(slot.kind, n);
    return { name: n === 1 ? slot.kind : `${slot.kind}_${n}`, ...slot };
  });
}

/** The template's main model slot (checkpoint or diffusion model), if it has one. */
export function mainSlot(slots: readonly ModelSlot[] | undefined): ModelSlot | undefined {
  return slots?.find((s) => MAIN_KINDS.has(s.kind));
}

function byNodeId(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
