// What each simulated node produces: image sizes flow through links, output nodes write real files.
import { posix } from 'node:path';
import { counterName, type DirType, type FileStore, ROOTS, saveImagePath } from './files.ts';
import { isLink } from './graph.ts';
import {
  animatedWebpBytes,
  flacBytes,
  imageSize,
  pngBytes,
  type Rgb,
  rgbFromInt,
  rgbFromSeed,
} from './images.ts';
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

function inputsOf(ctx: NodeContext): Record<string, JsonValue> {
  return ctx.prompt[ctx.id]?.inputs ?? {};
}

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

export class NodeRuntimeError extends Error {
  readonly exceptionType: string;
  readonly traceback: string[];
  constructor(message: string, exceptionType: string, traceback: string[]) {
    super(message);
    this.exceptionType = exceptionType;
    this.traceback = traceback;
  }
}

const TB_HEAD = [
  '  File "/srv/ComfyUI/execution.py", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/srv/ComfyUI/execution.py", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/srv/ComfyUI/execution.py", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
  '  File "/srv/ComfyUI/execution.py", line 277, in process_inputs\n    result = f(**inputs)\n             ^^^^^^^^^^^\n',
];

export function runtimeTraceback(tail: string[]): string[] {
  return [...TB_HEAD, ...tail];
}

type FileRef = { filename: string; subfolder: string; type: DirType };

async function saveFiles(
  ctx: NodeContext,
  images: Value,
  opts: { type: DirType; prefix: string; ext: string; perBatch: boolean },
  write: (path: string, batch: number) => Promise<Buffer>,
): Promise<FileRef[]> {
  const root = ROOTS[opts.type];
  let target: ReturnType<typeof saveImagePath>;
  try {
    target = saveImagePath(ctx.store, root, opts.prefix, images.width, images.height);
  } catch (e) {
    throw new NodeRuntimeError(
      e instanceof Error ? e.message : String(e),
      'Exception',
      runtimeTraceback([
        '  File "/srv/ComfyUI/nodes.py", line 1590, in save_images\n    full_output_folder, filename, counter, subfolder, filename_prefix = folder_paths.get_save_image_path(filename_prefix, self.output_dir, images[0].shape[1], images[0].shape[0])\n',
        '  File "/srv/ComfyUI/folder_paths.py", line 397, in get_save_image_path\n    raise Exception(err)\n',
      ]),
    );
  }
  const refs: FileRef[] = [];
  const count = opts.perBatch ? Math.max(1, images.batch) : 1;
  for (let b = 0; b < count; b++) {
    const file = counterName(target.filename, target.counter + b, opts.ext, b);
    const path = posix.join(target.folder, file);
    ctx.store.put(path, await write(path, b));
    refs.push({ filename: file, subfolder: target.subfolder, type: opts.type });
  }
  return refs;
}

function pngTexts(ctx: NodeContext): Record<string, string> {
  const texts: Record<string, string> = { prompt: JSON.stringify(ctx.prompt) };
  const info = ctx.extraData.extra_pnginfo;
  if (info && typeof info === 'object' && !Array.isArray(info)) {
    for (const [k, v] of Object.entries(info)) texts[k] = JSON.stringify(v);
  }
  return texts;
}

function linkedValue(ctx: NodeContext, name: string): Value {
  const link = inputsOf(ctx)[name];
  const v = isLink(link) ? ctx.valueOf(link) : undefined;
  return v ?? { type: 'IMAGE', width: 64, height: 64, batch: 1, color: [0, 0, 0] };
}

function prefixInput(ctx: NodeContext, fallback: string): string {
  const p = inputsOf(ctx).filename_prefix;
  return typeof p === 'string' ? p : fallback;
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
    case 'SaveAnimatedWEBP':
    case 'SaveAnimatedPNG': {
      const images = linkedValue(ctx, 'images');
      const ext = cls === 'SaveAnimatedWEBP' ? 'webp' : 'png';
      const frames = Array.from({ length: Math.max(1, images.batch) }, (_, i) =>
        images.color.map((c) => (c + i * 40) % 256),
      ) as Rgb[];
      const refs = await saveFiles(
        ctx,
        images,
        { type: 'output', prefix: prefixInput(ctx, 'ComfyUI'), ext, perBatch: false },
        () => (ext === 'webp' ? animatedWebpBytes(images.width, images.height, frames) : png(images)('', 0)),
      );
      return { images: refs, animated: [frames.length !== 1] };
    }
    case 'SaveAudio':
    case 'SaveAudioMP3':
    case 'SaveAudioOpus':
    case 'PreviewAudio': {
      const preview = cls === 'PreviewAudio';
      const ext = cls === 'SaveAudioMP3' ? 'mp3' : cls === 'SaveAudioOpus' ? 'opus' : 'flac';
      const prefix = preview ? `ComfyUI${ctx.tempPrefix(ctx.id)}` : prefixInput(ctx, 'audio/ComfyUI');
      const audio = linkedValue(ctx, 'audio');
      const type: DirType = preview ? 'temp' : 'output';
      const refs = await saveFiles(ctx, audio, { type, prefix, ext, perBatch: false }, async () =>
        flacBytes(),
      );
      return { audio: refs };
    }
    case 'PreviewAny': {
      const link = inputsOf(ctx).source;
      const v = isLink(link) ? ctx.valueOf(link) : undefined;
      const text = v?.text ?? (v ? `tensor of shape [${v.batch}, ${v.height}, ${v.width}, 3]` : 'None');
      return { text: [text] };
    }
    default:
      return null;
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
