import { readFileSync } from 'node:fs';
import { OBJECT_INFO_PATH } from '../../helpers/fixtures.ts';
import type { Catalog, InputSpec, ModelFiles, NodeDef } from './types.ts';

/** The recorded server lacked these two (a Python dependency was missing); shapes follow comfy_extras/nodes_upscale_model.py. */
const UPSCALE_NODES: Catalog = {
  UpscaleModelLoader: {
    input: { required: { model_name: [[]] } },
    input_order: { required: ['model_name'] },
    output: ['UPSCALE_MODEL'],
    output_is_list: [false],
    output_name: ['UPSCALE_MODEL'],
    name: 'UpscaleModelLoader',
    display_name: 'Load Upscale Model',
    description: '',
    python_module: 'comfy_extras.nodes_upscale_model',
    category: 'loaders',
    output_node: false,
  },
  ImageUpscaleWithModel: {
    input: { required: { upscale_model: ['UPSCALE_MODEL'], image: ['IMAGE'] } },
    input_order: { required: ['upscale_model', 'image'] },
    output: ['IMAGE'],
    output_is_list: [false],
    output_name: ['IMAGE'],
    name: 'ImageUpscaleWithModel',
    display_name: 'Upscale Image (using Model)',
    description: '',
    python_module: 'comfy_extras.nodes_upscale_model',
    category: 'image/upscaling',
    output_node: false,
  },
};

/** Which combo inputs list files of which models folder (folder_paths.get_filename_list in nodes.py). */
const MODEL_COMBOS: Record<string, [string, string][]> = {
  checkpoints: [
    ['CheckpointLoaderSimple', 'ckpt_name'],
    ['CheckpointLoader', 'ckpt_name'],
    ['unCLIPCheckpointLoader', 'ckpt_name'],
    ['ImageOnlyCheckpointLoader', 'ckpt_name'],
    ['CreateHookModelAsLora', 'ckpt_name'],
    ['CreateHookModelAsLoraModelOnly', 'ckpt_name'],
  ],
  loras: [
    ['LoraLoader', 'lora_name'],
    ['LoraLoaderModelOnly', 'lora_name'],
    ['CreateHookLora', 'lora_name'],
    ['CreateHookLoraModelOnly', 'lora_name'],
  ],
  diffusion_models: [['UNETLoader', 'unet_name']],
  text_encoders: [
    ['CLIPLoader', 'clip_name'],
    ['DualCLIPLoader', 'clip_name1'],
    ['DualCLIPLoader', 'clip_name2'],
    ['TripleCLIPLoader', 'clip_name1'],
    ['TripleCLIPLoader', 'clip_name2'],
    ['TripleCLIPLoader', 'clip_name3'],
  ],
  vae: [['VAELoader', 'vae_name']],
  upscale_models: [['UpscaleModelLoader', 'model_name']],
  controlnet: [
    ['ControlNetLoader', 'control_net_name'],
    ['DiffControlNetLoader', 'control_net_name'],
  ],
  clip_vision: [['CLIPVisionLoader', 'clip_name']],
  style_models: [['StyleModelLoader', 'style_model_name']],
  gligen: [['GLIGENLoader', 'gligen_name']],
  hypernetworks: [['HypernetworkLoader', 'hypernetwork_name']],
};

const FOLDER_ALIASES: Record<string, string> = { unet: 'diffusion_models', clip: 'text_encoders' };

/** GET /models as recorded from 0.3.64. */
export const MODEL_FOLDERS = [
  'checkpoints',
  'configs',
  'loras',
  'vae',
  'text_encoders',
  'diffusion_models',
  'clip_vision',
  'style_models',
  'embeddings',
  'diffusers',
  'vae_approx',
  'controlnet',
  'gligen',
  'upscale_models',
  'custom_nodes',
  'hypernetworks',
  'photomaker',
  'classifiers',
  'model_patches',
  'audio_encoders',
];

let cachedBase: Catalog | undefined;

function loadBase(): Catalog {
  cachedBase ??= JSON.parse(readFileSync(OBJECT_INFO_PATH, 'utf8')) as Catalog;
  return cachedBase;
}

export function normalizeModels(models: ModelFiles | undefined): Record<string, string[]> | undefined {
  if (!models) return undefined;
  const out: Record<string, string[]> = {};
  for (const [folder, files] of Object.entries(models)) {
    if (files) out[FOLDER_ALIASES[folder] ?? folder] = [...files].sort();
  }
  return out;
}

/** Model folder contents as GET /models/{folder} reports them; default mirrors the recorded catalogue. */
export function modelFolderFiles(
  base: Catalog,
  models: Record<string, string[]> | undefined,
  folder: string,
) {
  if (models?.[folder]) return models[folder];
  const pair = MODEL_COMBOS[folder]?.[0];
  if (!pair) return [];
  const spec = base[pair[0]]?.input.required?.[pair[1]];
  const list = Array.isArray(spec?.[0]) ? (spec[0] as string[]) : [];
  return folder === 'vae' ? list.filter((f) => f !== 'pixel_space') : list;
}

function withCombo(spec: InputSpec | undefined, values: string[]): InputSpec | undefined {
  if (!spec) return undefined;
  return [values, ...spec.slice(1)] as InputSpec;
}

/**
 * A fresh catalogue for one /object_info answer or one validation: loader combos list the configured
 * model files and LoadImage lists the input store, as the real server rebuilds INPUT_TYPES each call.
 */
export function buildCatalog(
  override: Catalog | undefined,
  models: Record<string, string[]> | undefined,
  inputImages: string[],
): Catalog {
  const base = override ?? loadBase();
  const catalog: Catalog = { ...base };
  if (!override) Object.assign(catalog, UPSCALE_NODES);
  const patch = (cls: string, input: string, values: string[]) => {
    const def = catalog[cls];
    const spec = def?.input.required?.[input];
    if (!def || !spec) return;
    const required = { ...def.input.required, [input]: withCombo(spec, values) as InputSpec };
    catalog[cls] = { ...def, input: { ...def.input, required } } as NodeDef;
  };
  if (models) {
    for (const [folder, pairs] of Object.entries(MODEL_COMBOS)) {
      const files = models[folder];
      if (!files) continue;
      for (const [cls, input] of pairs)
        patch(cls, input, folder === 'vae' ? [...files, 'pixel_space'] : files);
    }
  }
  patch('LoadImage', 'image', inputImages);
  patch('LoadImageMask', 'image', inputImages);
  return catalog;
}

export function baseCatalog(override: Catalog | undefined): Catalog {
  return override ?? loadBase();
}
