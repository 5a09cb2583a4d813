/**
 * What we know about node classes by name. Discovery walks links and uses these sets to decide what a
 * node is; anything not listed is handled by the generic rules in the walkers.
 */

/** Samplers that take conditioning and a latent directly. */
export const KSAMPLER_LIKE = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom']);
export const CUSTOM_ADVANCED_SAMPLERS = new Set(['SamplerCustomAdvanced']);

/** Text inputs per encoder class; the prompt is written to every one of them. */
export const TEXT_ENCODER_INPUTS: Record<string, readonly string[]> = {
  CLIPTextEncode: ['text'],
  CLIPTextEncodeSDXL: ['text_g', 'text_l'],
  CLIPTextEncodeSDXLRefiner: ['text'],
  CLIPTextEncodeFlux: ['clip_l', 't5xxl'],
  CLIPTextEncodeSD3: ['clip_l', 'clip_g', 't5xxl'],
  CLIPTextEncodeHiDream: ['clip_l', 'clip_g', 't5xxl', 'llama'],
  CLIPTextEncodeHunyuanDiT: ['bert', 'mt5xl'],
  CLIPTextEncodePixArtAlpha: ['text'],
  CLIPTextEncodeLumina2: ['user_prompt'],
  TextEncodeQwenImageEdit: ['prompt'],
  TextEncodeQwenImageEditPlus: ['prompt'],
  TextEncodeHunyuanVideo_ImageToVideo: ['prompt'],
  TextEncodeAceStepAudio: ['tags'],
};

/** Conditioning nodes that make the text irrelevant: the walk stops there and finds no text. */
export const CONDITIONING_STOPS = new Set(['ConditioningZeroOut']);

/** Loaders whose combo names the model: `checkpoint` is written there. */
export const MODEL_LOADER_INPUTS: Record<string, string> = {
  CheckpointLoaderSimple: 'ckpt_name',
  CheckpointLoader: 'ckpt_name',
  ImageOnlyCheckpointLoader: 'ckpt_name',
  unCLIPCheckpointLoader: 'ckpt_name',
  UNETLoader: 'unet_name',
  UnetLoaderGGUF: 'unet_name',
  DiffusersLoader: 'model_path',
};

export const IMAGE_LOADERS: Record<string, string> = { LoadImage: 'image', LoadImageMask: 'image' };

/** Node classes whose widget is the value itself (string/number primitives from core and popular packs). */
export const PRIMITIVE_NODES = new Set([
  'PrimitiveString',
  'PrimitiveStringMultiline',
  'PrimitiveInt',
  'PrimitiveFloat',
  'PrimitiveBoolean',
  'PrimitiveNode',
  'String Literal',
  'Text Multiline',
  'Text box',
  'CR Prompt Text',
  'CR Text',
  'CR Seed',
  'CR Integer',
  'Seed (rgthree)',
  'Seed Generator',
  'Int Literal',
  'Float Literal',
  'easy seed',
  'easy int',
  'easy string',
  'JWInteger',
  'JWString',
  'ttN text',
  'ShowText|pysssss',
]);

/** Names a primitive node's value widget usually has, most specific first. */
export const PRIMITIVE_WIDGET_NAMES = ['value', 'string', 'text', 'prompt', 'seed', 'int', 'Text', 'number'];

/** The KSampler choices of a stock ComfyUI, used as defaults until a backend's /object_info says otherwise. */
export const STOCK_SAMPLERS = [
  'euler',
  'euler_cfg_pp',
  'euler_ancestral',
  'euler_ancestral_cfg_pp',
  'heun',
  'heunpp2',
  'dpm_2',
  'dpm_2_ancestral',
  'lms',
  'dpm_fast',
  'dpm_adaptive',
  'dpmpp_2s_ancestral',
  'dpmpp_2s_ancestral_cfg_pp',
  'dpmpp_sde',
  'dpmpp_sde_gpu',
  'dpmpp_2m',
  'dpmpp_2m_cfg_pp',
  'dpmpp_2m_sde',
  'dpmpp_2m_sde_gpu',
  'dpmpp_2m_sde_heun',
  'dpmpp_2m_sde_heun_gpu',
  'dpmpp_3m_sde',
  'dpmpp_3m_sde_gpu',
  'ddpm',
  'lcm',
  'ipndm',
  'ipndm_v',
  'deis',
  'res_multistep',
  'res_multistep_cfg_pp',
  'res_multistep_ancestral',
  'res_multistep_ancestral_cfg_pp',
  'gradient_estimation',
  'gradient_estimation_cfg_pp',
  'er_sde',
  'seeds_2',
  'seeds_3',
  'sa_solver',
  'sa_solver_pece',
  'ddim',
  'uni_pc',
  'uni_pc_bh2',
] as const;

export const STOCK_SCHEDULERS = [
  'simple',
  'sgm_uniform',
  'karras',
  'exponential',
  'ddim_uniform',
  'beta',
  'normal',
  'linear_quadratic',
  'kl_optimal',
] as const;
