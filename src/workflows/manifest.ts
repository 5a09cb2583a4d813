import { parseDocument } from 'yaml';
import { z } from 'zod';
import { err, ok, type Result } from '#shared/result.ts';
import { formatPath, parseJson } from './json-path.ts';
import type { GraphProblem } from './api-format.ts';

const nodeId = z.union([z.string().min(1), z.number().int()]).transform(String);
const localized = z.strictObject({ en: z.string().min(1), zh: z.string().min(1).optional() });
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Where a parameter goes: a node id, or a node title (every node with that title), plus an input name. */
const target = z
  .strictObject({ node: nodeId.optional(), title: z.string().min(1).optional(), input: z.string().min(1) })
  .refine((t) => (t.node === undefined) !== (t.title === undefined), {
    message: 'give exactly one of node or title',
  });

const parameter = z.strictObject({
  targets: z.array(target).min(1).optional(),
  kind: z.enum(['text', 'int', 'float', 'boolean', 'choice', 'image']).optional(),
  default: scalar.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive().optional(),
  choices: z.array(z.string()).min(1).optional(),
  description: localized.optional(),
  user: z.boolean().optional(),
});

const modelSlotName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case');

/**
 * A model slot: where the file is named (a loader found by discovery is enough), what it is and its family.
 * `checkpoint: { family: sd15 }` overrides a found slot; `refiner: { node: "12" }` declares one.
 */
const modelSlot = z
  .strictObject({
    node: nodeId.optional(),
    title: z.string().min(1).optional(),
    input: z.string().min(1).optional(),
    kind: z.enum(['checkpoint', 'diffusion_model', 'vae', 'text_encoder', 'upscale_model']).optional(),
    family: z.enum(['sd15', 'sdxl', 'flux', 'sd3', 'other']).optional(),
    default: z.string().min(1).optional(),
  })
  .refine((s) => s.node === undefined || s.title === undefined, { message: 'give node or title, not both' });

export const manifestSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"')
    .optional(),
  description: localized.optional(),
  tags: z.array(z.string().min(1)).default([]),
  family: z.enum(['sd15', 'sdxl', 'flux', 'sd3', 'other']).optional(),
  /** Output node ids to deliver; default all. */
  outputs: z.array(nodeId).min(1).optional(),
  /** Fill parameters the manifest leaves out by walking the graph; default true. */
  discover: z.boolean().default(true),
  parameters: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case'), parameter).default({}),
  /** Model slots: overrides of the ones discovery finds, or new ones. */
  models: z.record(modelSlotName, modelSlot).default({}),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestParameter = z.infer<typeof parameter>;
export type ManifestTarget = z.infer<typeof target>;
export type ManifestModelSlot = z.infer<typeof modelSlot>;

/** Parses a `.manifest.yaml` or `.manifest.json`; every problem names its path inside the file. */
export function parseManifest(text: string, format: 'yaml' | 'json'): Result<Manifest, GraphProblem[]> {
  const raw = format === 'json' ? parseJson(text) : parseYaml(text);
  if (!raw.ok) return err([{ path: raw.path, reason: raw.reason }]);
  const parsed = manifestSchema.safeParse(raw.value ?? {});
  if (parsed.success) return ok(parsed.data);
  return err(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: formatPath([...issue.path, key]),
            reason: `unknown key "${key}"`,
          }))
        : [{ path: formatPath(issue.path), reason: issue.message }],
    ),
  );
}

function parseYaml(text: string): { ok: true; value: unknown } | { ok: false; path: string; reason: string } {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) return { ok: false, path: '$', reason: `invalid YAML: ${first.message.split('\n')[0]}` };
  return { ok: true, value: doc.toJS() };
}
