import { z } from 'zod';
import { httpUrl, positiveInt } from './primitives.ts';

/** Comfy Cloud's Comfy API v2 base URL: where a `comfy-api-v2` backend goes when it names no `url`. */
export const COMFY_CLOUD_URL = 'https://cloud.comfy.org';

const auth = z.union([
  z.strictObject({ bearer: z.string().min(1) }),
  z.strictObject({ basic: z.strictObject({ username: z.string(), password: z.string() }) }),
]);

const budgetLimits = z
  .strictObject({
    jobsPerDay: z.number().int().min(0),
    jobsPerMonth: z.number().int().min(0),
    gpuSecondsPerDay: z.number().min(0),
    gpuSecondsPerMonth: z.number().min(0),
  })
  .partial();

/**
 * What a paid backend may spend, per UTC calendar day and month: `overall` for everyone together,
 * `perCommunity` for each Discord guild, Telegram group or API key tier alike.
 */
export const budgetSection = z.strictObject({
  overall: budgetLimits.optional(),
  perCommunity: budgetLimits.optional(),
});

const backendFields = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
  /** `comfyui` (a ComfyUI server) or `comfy-api-v2` (Comfy Cloud, a Comfy API deployment, another ComfyRelay). */
  kind: z.enum(['comfyui', 'comfy-api-v2']).default('comfyui'),
  /** Required for `comfyui`; a `comfy-api-v2` backend without one goes to Comfy Cloud. */
  url: httpUrl.optional(),
  weight: z.number().positive().default(1),
  tags: z.array(z.string()).default([]),
  headers: z.record(z.string(), z.string()).default({}),
  auth: auth.optional(),
  maxQueued: positiveInt.default(1),
  /** `comfy-api-v2`: the API key (default: the COMFY_API_KEY environment variable). Never logged. */
  apiKey: z.string().min(1).optional(),
  /** `comfy-api-v2`: jobs kept on the service at once (the plan's concurrency: Cloud Standard 1, Creator 3, Pro 5). */
  slots: positiveInt.default(1),
  /** Work goes here only when every local capable backend's estimated wait exceeds `afterWaitSeconds`. */
  overflow: z.strictObject({ afterWaitSeconds: z.number().min(0).default(60) }).optional(),
  budget: budgetSection.optional(),
  /** What the backend can run when the service does not list it (node class types, model file names). */
  capabilities: z
    .strictObject({ nodes: z.array(z.string()).optional(), models: z.array(z.string()).optional() })
    .optional(),
});

/** One entry of `backends:`; a `comfyui` one must say where it is. */
export const backendSection = backendFields.refine((b) => b.kind !== 'comfyui' || b.url !== undefined, {
  path: ['url'],
  params: { expected: 'url' },
});

export type BudgetLimits = z.output<typeof budgetLimits>;
export type BudgetConfig = z.output<typeof budgetSection>;

/** A backend as written, the URL defaulted by kind. */
export function withDefaultUrl<T extends { kind: string; url?: string }>(b: T): T & { url: string } {
  if (b.url) return b as T & { url: string };
  return { ...b, url: b.kind === 'comfy-api-v2' ? COMFY_CLOUD_URL : DEFAULT_COMFYUI_URL };
}

export const DEFAULT_COMFYUI_URL = 'http://127.0.0.1:8188';
