import { z } from 'zod';
import { FIELD_LIMITS as L } from './limits.ts';

/**
 * Request and response shapes. The Comfy API v2 ones mirror `@comfyorg/sdk`'s generated schemas (the e2e
 * tests parse our responses with the SDK's own); the OpenAPI document is generated from these.
 */

const iso = z.iso.datetime();

export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export const Progress = z.object({
  value: z.number().min(0).max(1),
  nodes_done: z.int(),
  nodes_total: z.int(),
  current_node: z.string().nullish(),
  current_node_class: z.string().nullish(),
  step: z.int().nullish(),
  steps: z.int().nullish(),
  message: z.string().nullish(),
});

export const OutputType = z.enum(['image', 'video', 'audio', 'text', 'file', 'latent']);

/** ComfyRelay's extension: what the image safety stage decided about an output (null: not screened). */
export const OutputSafety = z
  .object({
    action: z.enum(['allow', 'spoiler', 'blur', 'block']),
    rule: z.enum(['explicit', 'suggestive', 'unknown', 'none']),
    scores: z.record(z.string(), z.number()).nullable(),
    original_url: z
      .string()
      .optional()
      .describe('With `blur`: `url` serves a blurred JPEG; this serves the original to the owning key.'),
  })
  .describe('`block`: not downloadable (403 `safety_blocked`); `blur`: `url` serves the blurred version.');

export const Output = z.object({
  node_id: z.string(),
  name: z.string(),
  type: OutputType,
  content_type: z.string(),
  size_bytes: z.int(),
  id: z.string(),
  hash: z.string().nullable(),
  url: z.url(),
  url_expires_at: iso,
  job_id: z.string().nullish(),
  safety: OutputSafety.nullish(),
});

export const JobStatus = z.enum([
  'queued',
  'running',
  'succeeded',
  'canceling',
  'canceled',
  'failed',
  'expired',
]);

export const Job = z.object({
  id: z.string(),
  status: JobStatus,
  created_at: iso,
  started_at: iso.nullable(),
  completed_at: iso.nullable(),
  expires_at: iso,
  queue_position: z.int().nullable(),
  progress: Progress.nullable(),
  outputs: z.array(Output),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      node_id: z.string().nullish(),
      class_type: z.string().nullish(),
    })
    .nullable(),
  metrics: z.record(z.string(), z.int().nullable()).optional(),
  urls: z.object({ self: z.string(), events: z.string(), cancel: z.string() }),
});

export const Asset = z.object({
  id: z.string(),
  hash: z.string().nullable(),
  size_bytes: z.int(),
  content_type: z.string(),
  file_path: z.string().nullish(),
  created_new: z.boolean().optional(),
  created_at: iso,
  url: z.url(),
  url_expires_at: iso,
  expires_at: iso.nullish(),
  job_id: z.string().nullish(),
  safety: OutputSafety.nullish(),
});

export const JobWorkflow = z.object({
  workflow: z.record(z.string(), z.unknown()),
  format: z.enum(['save', 'api']),
});

/** Text a header or a file name may carry: no control characters (CR/LF would split a header). */
const plainText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'control characters are not allowed' });

const url = z.string().max(L.url);
/** Keys an object may not take from JSON: they would reach the prototype rather than the object. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const paramName = z
  .string()
  .regex(/^[A-Za-z_][\w.-]{0,63}$/, { message: 'not a parameter name' })
  .refine((k) => !RESERVED_KEYS.has(k), { message: 'not a parameter name' });

export const PostJobsBody = z.object({
  workflow: z
    .record(z.string().max(L.name), z.unknown())
    .refine((w) => Object.keys(w).length <= L.workflowNodes, {
      message: `at most ${L.workflowNodes} nodes`,
    }),
  /** Partner-node keys are passed through to ComfyUI at most once and never stored with the job. */
  extra_data: z.object({ api_key_comfy_org: z.string().max(1000).optional() }).optional(),
  /** ComfyRelay extension: a Standard Webhooks receiver told when the job ends. */
  webhook_url: url.optional(),
});

export const AssetFromHashBody = z.object({
  hash: z.string().max(100),
  file_path: plainText(L.filePath).optional(),
  tags: z.array(z.string().max(64)).max(32).optional(),
  expires_in: z.int().min(60).max(604800).optional(),
});

/** What an upload's text fields may be (the file itself is checked by its bytes). */
export const UploadFields = z.object({
  file_path: plainText(L.filePath).optional(),
  content_type: plainText(200).optional(),
  expected_hash: z.string().max(100).optional(),
});

export const ImagineBody = z.object({
  prompt: z.string().min(1).max(L.prompt).describe('The prompt, with the same --flags as /imagine in chat.'),
  template: z
    .string()
    .min(1)
    .max(L.name)
    .optional()
    .describe('Template name; default: the first text-to-image template.'),
  params: z
    .record(paramName, z.union([z.string().max(L.paramString), z.number(), z.boolean()]))
    .refine((p) => Object.keys(p).length <= L.params, { message: `at most ${L.params} parameters` })
    .optional(),
  negative: z.string().max(L.negative).optional(),
  seed: z.int().min(-1).optional(),
  model: z
    .string()
    .min(1)
    .max(L.name)
    .optional()
    .describe('An installed checkpoint (fuzzy, as --model takes it) or a template name.'),
  image_url: z
    .string()
    .refine((s) => s.length <= L.url || /^data:/i.test(s), { message: `at most ${L.url} characters` })
    .optional()
    .describe('An input image fetched by the server (img2img, upscale), or a data:image/…;base64, URL.'),
  image_asset: z.string().max(L.name).optional().describe('An uploaded asset id to use as the input image.'),
  image_base64: z
    .string()
    .optional()
    .describe('An input image as base64 (or a data: URL), checked like an upload (http.limits.uploadMb).'),
  webhook_url: url.optional(),
});

export const RelayJob = z.object({
  id: z.string(),
  state: z.string(),
  template: z.string(),
  prompt: z.string(),
  seed: z.number(),
  position: z.int().nullable(),
  eta_ms: z.int().nullable(),
  progress: z.number().nullable(),
  created_at: iso,
  finished_at: iso.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  outputs: z.array(Output),
  urls: z.object({ self: z.string(), events: z.string(), cancel: z.string() }),
});

/** An output in the `?wait=true&response=base64` answer (`base64` null: blocked by the safety stage). */
export const Base64File = z.object({
  filename: z.string(),
  mime: z.string(),
  kind: z.string(),
  base64: z.string().nullable(),
  safety: OutputSafety.optional(),
});

export const RelayJobWithFiles = RelayJob.extend({
  files: z.array(Base64File),
  jobs: z.array(RelayJob.extend({ files: z.array(Base64File) })).optional(),
});

export const RelayWorkflow = z.object({
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  family: z.string(),
  needs_image: z.boolean(),
  parameters: z.record(z.string(), z.unknown()).describe('JSON Schema of `params`.'),
});
