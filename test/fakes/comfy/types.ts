export type ComfyVersion = '0.3.64' | 'newest';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type PromptNode = {
  class_type?: string;
  inputs?: Record<string, JsonValue>;
  _meta?: { title?: string };
};
export type PromptGraph = Record<string, PromptNode>;

export type InputSpec = [JsonValue, JsonObject?] | JsonValue[];
export type NodeDef = {
  input: { required?: Record<string, InputSpec>; optional?: Record<string, InputSpec>; hidden?: JsonObject };
  input_order?: Record<string, string[]>;
  output: JsonValue[];
  output_is_list?: boolean[];
  output_name?: string[];
  name: string;
  display_name?: string | null;
  description?: string;
  python_module?: string;
  category?: string;
  output_node: boolean;
  [key: string]: unknown;
};
export type Catalog = Record<string, NodeDef>;

/** Model files per ComfyUI models folder; `unet`/`clip` are accepted as aliases of diffusion_models/text_encoders. */
export type ModelFiles = Partial<Record<string, string[]>>;

export type FakeComfyOptions = {
  version?: ComfyVersion;
  models?: ModelFiles;
  /** Per sampler step. Default 5 ms. */
  stepDelayMs?: number;
  /** Total simulated GPU time of one job, whatever its step count. */
  jobMs?: number;
  /** Send latent previews (ComfyUI's --preview-method). Default true. */
  previews?: boolean;
  /** Replaces the default catalogue (`comfyui-object-info.json`). */
  objectInfo?: Catalog;
  systemStats?: { devices?: JsonObject[]; system?: JsonObject };
  /** Reproduce the same-clientId close race of protocol §8.7. Default false. */
  sameIdCloseRace?: boolean;
  /** Files present in input/ at start, e.g. `{ 'example.png': <png bytes> }`. */
  inputFiles?: Record<string, Buffer>;
  port?: number;
};

export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  json?: JsonValue;
  t: number;
};

export type QueueItem = [number, string, PromptGraph, JsonObject, string[]];

export type HistoryEntry = {
  prompt: QueueItem;
  outputs: Record<string, JsonObject>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: [string, JsonObject][] };
  meta: Record<string, JsonObject>;
};
