import { ok } from '#shared/result.ts';
import type { ParamSpec } from '../../../workflows/types.ts';
import type { GrammarLimits } from './context.ts';
import { type FlagValue, textOf } from './input.ts';
import { fail, GrammarCode } from './messages.ts';
import { type Range, readBool, readChoice, readRanged } from './values.ts';

/** Reads a value for a template's own parameter (`--hires`, `--lora_strength 0.8`) by its kind. */
export function readParam(label: string, value: FlagValue, p: ParamSpec, limits: GrammarLimits) {
  const text = textOf(value);
  switch (p.kind) {
    case 'int':
    case 'float': {
      const isSide = ['width', 'height'].includes(p.name.toLowerCase());
      const range = isSide ? sideRange(p, limits) : paramRange(p, undefined, Number.POSITIVE_INFINITY);
      const n = readRanged(label, value, range, p.kind === 'int');
      if (n.ok && isSide && n.value % 8 !== 0)
        return fail(GrammarCode.sizeMultiple, { flag: label, value: text, step: 8 });
      return n;
    }
    case 'boolean':
      return readBool(label, value);
    case 'choice':
      return readChoice(label, value, p.choices);
    default: {
      const length = [...text].length;
      if (length > limits.maxPromptLength) {
        return fail(GrammarCode.textTooLong, { flag: label, length, max: limits.maxPromptLength });
      }
      return ok(text);
    }
  }
}

export function paramRange(p: ParamSpec, fallback: Range | undefined, cap: number): Range {
  const min = p.min ?? fallback?.min ?? Number.MIN_SAFE_INTEGER;
  const max = Math.min(p.max ?? fallback?.max ?? Number.MAX_SAFE_INTEGER, cap);
  return { min, max };
}

export function sideRange(p: ParamSpec, limits: GrammarLimits): Range {
  return { min: Math.max(p.min ?? 64, 8), max: Math.min(p.max ?? limits.maxSide, limits.maxSide) };
}
