// What each simulated node produces: image sizes flow through links, output nodes write real files.
import type { FileStore } from './files.ts';
import { isLink } from './graph.ts';
import { imageSize, pngBytes, type Rgb, rgbFromInt, rgbFromSeed } from './images.ts';
import { mediaUi } from './media-nodes.ts';
import { inputsOf, linkedValue, pngTexts, prefixInput, saveFiles } from './node-files.ts';
import { pyRepr } from './python.ts';
import type { Catalog, JsonObject, JsonValue, PromptGraph } from './types.ts';

export type Value = { type: string; width: number; height: number; batch: number; color: Rgb; text?: string };

export const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);

export type NodeContext = {
  id: string;
  prompt: PromptGraph;
  catalog: Catalog;
  extraData: JsonObject;
  store: FileStore;
  /** Outputs of already executed or cached nodes. */
  valueOf: (link: [string, number]) => Value | undefined;
  /** ComfyUI_temp_<5 letters> is chosen once per node object, so it is stable per node id. */
  tempPrefix: (id: string) => string;
  signature: string;
};

function num(v: JsonValue | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export { NodeRuntimeError, runtimeTraceback } from './node-files.ts';

const SPATIAL = new Set(['IMAGE', 'LATENT', 'MASK', 'VIDEO', 'AUDIO']);
const PREFERRED = ['image', 'images', 'samples', 'latent_image', 'latent', 'pixels', 'mask'];

/** The linked value sizes flow from: a preferred input, else any image-like one, else anything linked. */
function sourceValue(ctx: NodeContext): Value | undefined {
  const inputs = inputsOf(ctx);
  const linked = (names: string[]) =>
    names
      .map((n) => inputs[n])
      .flatMap((v) => (isLink(v) ? [ctx.valueOf(v)] : []))
      .filter((v) => v !== undefined);
  const all = linked(Object.keys(inputs));
  return linked(PREFERRED)[0] ?? all.find((v) => SPATIAL.has(v.type)) ?? all[0];
}

/** Number of progress steps a sampler reports (its own steps, or the linked scheduler's). */
export function samplerSteps(prompt: PromptGraph, id: string): number {
  const inputs = prompt[id]?.inputs ?? {};
  const cls = prompt[id]?.class_type;
  if (cls === 'KSampler') return Math.max(1, num(inputs.steps, 20));
  if (cls === 'KSamplerAdvanced') {
    const steps = num(inputs.steps, 20);
    const end = Math.min(steps, num(inputs.end_at_step, steps));
    return Math.max(1, end - num(inputs.start_at_step, 0));
  }
  const seen = new Set<string>();
  let link = inputs.sigmas;
  while (isLink(link) && !seen.has(link[0])) {
    seen.add(link[0]);
    const node = prompt[link[0]]?.inputs ?? {};
    if (typeof node.steps === 'number') return Math.max(1, node.steps);
    link = Object.values(node).find(isLink);
  }
  return 20;
}

export async function loadImageValue(store: FileStore, name: string): Promise<Value> {
  const bytes = store.resolveAnnotated(name);
  const { width, height } = bytes ? await imageSize(bytes) : { width: 64, height: 64 };
  return { type: 'IMAGE', width, height, batch: 1, color: rgbFromSeed(name) };
}

async function computeValues(ctx: NodeContext): Promise<Value[]> {
  const cls = ctx.prompt[ctx.id]?.class_type ?? '';
  const def = ctx.catalog[cls];
  const types = (def?.output ?? []).map((t) => (typeof t === 'string' ? t : 'COMBO'));
  const inputs = inputsOf(ctx);
  const source = sourceValue(ctx);
  let base: Value = source
    ? { ...source }
    : { type: 'IMAGE', width: 512, height: 512, batch: 1, color: rgbFromSeed(ctx.signature) };
  if (typeof inputs.width === 'number' && typeof inputs.height === 'number') {
    base = { ...base, width: inputs.width, height: inputs.height };
  }
  if (typeof inputs.batch_size === 'number') base.batch = inputs.batch_size;
  if (typeof inputs.color === 'number' && cls === 'EmptyImage') base.color = rgbFromInt(inputs.color);
  if (cls === 'ImageInvert') base.color = base.color.map((c) => 255 - c) as Rgb;
  if (cls === 'ImageUpscaleWithModel') base = { ...base, width: base.width * 4, height: base.height * 4 };
  if (typeof inputs.scale_by === 'number') {
    base = {
      ...base,
      width: Math.round(base.width * inputs.scale_by),
      height: Math.round(base.height * inputs.scale_by),
    };
  }
  if (SAMPLERS.has(cls) || cls.startsWith('KSampler')) base.color = rgbFromSeed(ctx.signature);
  if (cls === 'LoadImage' || cls === 'LoadImageMask') {
    base = await loadImageValue(ctx.store, String(inputs.image));
  }
  const text = ['value', 'string', 'text', 'string_a']
    .map((k) => inputs[k])
    .find((v) => typeof v === 'string');
  return types.map((type) => ({ ...base, type, text: typeof text === 'string' ? text : source?.text }));
}

/** The `ui` dict of an output node, or null for nodes whose UI the fake does not model. */
async function computeUi(ctx: NodeContext): Promise<JsonObject | null> {
  const cls = ctx.prompt[ctx.id]?.class_type ?? '';
  const png = (images: Value) => (_: string, b: number) =>
    pngBytes(images.width, images.height, images.color.map((c) => (c + b * 40) % 256) as Rgb, pngTexts(ctx));
  switch (cls) {
    case 'SaveImage': {
      const images = linkedValue(ctx, 'images');
      const prefix = prefixInput(ctx, 'ComfyUI');
      return {
        images: await saveFiles(
          ctx,
          images,
          { type: 'output', prefix, ext: 'png', perBatch: true },
          png(images),
        ),
      };
    }
    case 'PreviewImage': {
      const images = linkedValue(ctx, 'images');
      const prefix = `ComfyUI${ctx.tempPrefix(ctx.id)}`;
      return {
        images: await saveFiles(
          ctx,
          images,
          { type: 'temp', prefix, ext: 'png', perBatch: true },
          png(images),
        ),
      };
    }
    case 'PreviewAny': {
      const link = inputsOf(ctx).source;
      const v = isLink(link) ? ctx.valueOf(link) : undefined;
      const text = v?.text ?? (v ? `tensor of shape [${v.batch}, ${v.height}, ${v.width}, 3]` : 'None');
      return { text: [text] };
    }
    default:
      return (await mediaUi(ctx, cls)) ?? null;
  }
}

export async function runNode(ctx: NodeContext): Promise<{ outputs: Value[]; ui: JsonObject | null }> {
  const outputs = await computeValues(ctx);
  const isOutput = ctx.catalog[ctx.prompt[ctx.id]?.class_type ?? '']?.output_node === true;
  return { outputs, ui: isOutput ? await computeUi(ctx) : null };
}

/** execution.py format_value over get_input_data, for execution_error.current_inputs. */
export function currentInputs(ctx: NodeContext): Record<string, JsonValue[]> {
  const out: Record<string, JsonValue[]> = {};
  const describe = (v: Value | undefined): string => {
    if (!v) return 'None';
    if (v.type === 'IMAGE' || v.type === 'MASK') {
      return `tensor([[[[${(v.color[0] / 255).toFixed(4)}, ${(v.color[1] / 255).toFixed(4)}, ${(v.color[2] / 255).toFixed(4)}],\n          ...]]])`;
    }
    if (v.type === 'LATENT') return "{'samples': tensor([[[[ 0.0000, ...]]]])}";
    if (v.type === 'MODEL') return '<comfy.model_patcher.ModelPatcher object at 0x7f3a1c2d4e50>';
    if (v.type === 'CLIP') return '<comfy.sd.CLIP object at 0x7f3a1c2d4f10>';
    if (v.type === 'VAE') return '<comfy.sd.VAE object at 0x7f3a1c2d5090>';
    if (v.type === 'CONDITIONING') return "[[tensor([[[ 0.0000, ...]]]), {'pooled_output': None}]]";
    return v.text ?? `<${v.type}>`;
  };
  for (const [name, value] of Object.entries(inputsOf(ctx))) {
    out[name] = [isLink(value) ? describe(ctx.valueOf(value)) : value];
  }
  const hidden = ctx.catalog[ctx.prompt[ctx.id]?.class_type ?? '']?.input.hidden ?? {};
  for (const [name, kind] of Object.entries(hidden)) {
    const k = Array.isArray(kind) ? kind[0] : kind;
    // format_value keeps None as null; other objects become their str().
    if (k === 'PROMPT') out[name] = [pyRepr(ctx.prompt as unknown as JsonValue)];
    else if (k === 'EXTRA_PNGINFO') {
      const info = ctx.extraData.extra_pnginfo;
      out[name] = [info === undefined || info === null ? null : pyRepr(info)];
    } else if (k === 'UNIQUE_ID') out[name] = [ctx.id];
  }
  return out;
}
