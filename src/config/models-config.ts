import { z } from 'zod';

/**
 * `models:` — the operator's installed models: families, per-template defaults, what people may choose
 * with `--model` and LoRAs, and the LoRA limits. File names and `*` patterns, compared ignoring case.
 * The shape is `ModelMapping` of src/workflows/model-mapping.ts.
 */

const files = z.array(z.string().min(1));
const FAMILIES = ['sd15', 'sdxl', 'flux', 'sd3', 'other'] as const;
const slotName = z.string().regex(/^[a-z][a-z0-9_]*$/);

const loras = z
  .strictObject({
    maxCount: z.number().int().min(0).default(3),
    minStrength: z.number().default(-2),
    maxStrength: z.number().default(2),
    defaultStrength: z.number().default(1),
  })
  .prefault({})
  .refine((l) => l.minStrength <= l.defaultStrength && l.defaultStrength <= l.maxStrength, {
    params: { expected: 'lora_strengths' },
  });

export const modelsSection = z
  .strictObject({
    /** Family → installed files or patterns, in preference order. */
    families: z.partialRecord(z.enum(FAMILIES), files).default({}),
    /** Template → slot → file used instead of the workflow's. */
    defaults: z.record(z.string().min(1), z.record(slotName, z.string().min(1))).default({}),
    allow: z
      .strictObject({
        templates: z.record(z.string().min(1), files).default({}),
        communities: z.record(z.string().min(1), files).default({}),
      })
      .prefault({}),
    loras,
  })
  .prefault({});
