import { z } from 'zod';
import type { Locale } from '#shared/i18n.ts';
import type { ParamSpec, WorkflowTemplate } from '../../workflows/types.ts';

const NOT_PARAMS = new Set(['prompt', 'image']);

function paramSchema(p: ParamSpec, locale: Locale, withDefaults: boolean): z.ZodType {
  let s: z.ZodType;
  switch (p.kind) {
    case 'int':
    case 'float': {
      let n = p.kind === 'int' ? z.int() : z.number();
      if (p.min !== undefined) n = n.min(p.min);
      if (p.max !== undefined) n = n.max(p.max);
      s = n;
      break;
    }
    case 'boolean':
      s = z.boolean();
      break;
    case 'choice':
      s = p.choices && p.choices.length > 0 ? z.enum(p.choices as [string, ...string[]]) : z.string();
      break;
    default:
      s = z.string();
  }
  const description = p.description?.[locale] ?? p.description?.en;
  if (description) s = s.describe(description);
  // Defaults are documented, never applied: the binder fills them in, and an applied -1 seed would win.
  return p.default === undefined || !withDefaults ? s.optional() : s.default(p.default as never).optional();
}

/** The zod schema of a template's user-settable parameters (what `params` may hold). */
export function templateParams(
  t: WorkflowTemplate,
  locale: Locale = 'en',
  withDefaults = false,
): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const p of Object.values(t.params))
    if (p.userSettable && !NOT_PARAMS.has(p.name)) shape[p.name] = paramSchema(p, locale, withDefaults);
  return z.strictObject(shape);
}

/** The same, as JSON Schema, for `GET /api/relay/workflows`. */
export function templateParamsJsonSchema(
  t: WorkflowTemplate,
  locale: Locale = 'en',
): Record<string, unknown> {
  return z.toJSONSchema(templateParams(t, locale, true), { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
