/** One node of a ComfyUI workflow in API format ("Save (API Format)"). */
export interface ApiNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

/** A ComfyUI workflow in API format: node id → node. Node ids are always strings. */
export type ApiWorkflow = Record<string, ApiNode>;

/** A place in a workflow that a parameter writes to. */
export interface InputRef {
  node: string;
  input: string;
}

/** The kinds of value a template parameter takes. */
export type ParamKind = 'text' | 'int' | 'float' | 'boolean' | 'choice' | 'image';

/** Text in both languages we ship. */
export interface LocalizedText {
  en: string;
  zh?: string;
}

/**
 * A named parameter of a template, from its manifest or found by walking the graph.
 * The same definition generates CLI flags, Discord options, Telegram help and the HTTP JSON Schema.
 */
export interface ParamSpec {
  name: string;
  kind: ParamKind;
  description?: LocalizedText;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  /** For `int`/`float`: values should be multiples of this (width/height: 8). Advisory, not enforced. */
  step?: number;
  /** For `choice`: the allowed values. */
  choices?: readonly string[];
  /** Whether chat users (not only the operator) may set it. */
  userSettable: boolean;
  /** Every input the value is written to; empty when the template has no such place. */
  targets: InputRef[];
}

/** Model families decide the native pixel count that aspect ratios map to. */
export type ModelFamily = 'sd15' | 'sdxl' | 'flux' | 'sd3' | 'other';

/** What a loader loads, named like the models folder it lists. */
export type ModelKind = 'checkpoint' | 'diffusion_model' | 'vae' | 'text_encoder' | 'upscale_model';

/**
 * A model file a template loads: `checkpoint`, `diffusion_model`, `vae`, `text_encoder`,
 * `text_encoder_2`, `upscale_model`… The operator's config may replace its default per template, and
 * `--model` may choose another installed file for the template's main model.
 */
export interface ModelSlot {
  name: string;
  kind: ModelKind;
  /** The loader's node and the input that names the file. */
  node: string;
  input: string;
  /** The loader's class, whose /object_info choices list what is installed. */
  loader: string;
  /** The file the template asks for. */
  default: string;
  family: ModelFamily;
}

/** A LoRA to apply to a template's main model, by installed file name. */
export interface LoraChoice {
  name: string;
  strength: number;
}

/** A loaded, checked template: the graph as exported plus what we know about it. */
export interface WorkflowTemplate {
  name: string;
  description: LocalizedText;
  tags: string[];
  family: ModelFamily;
  /** The file it was loaded from, for messages. */
  file: string;
  graph: ApiWorkflow;
  params: Record<string, ParamSpec>;
  /** Ids of the output nodes (SaveImage, PreviewImage, VHS_VideoCombine, SaveAudio…). */
  outputs: string[];
  /** Which output nodes to deliver when there are several; default all. */
  deliver?: string[];
  /** What discovery could not work out, for `workflows inspect` and the operator's log. */
  warnings?: string[];
  /** Model files it loads; the main model (checkpoint or diffusion model) first. */
  slots?: ModelSlot[];
}

/** Parameter values after parsing and validation, by parameter name. */
export type ParamValues = Record<string, string | number | boolean>;
