import type { UserMessage } from '#shared/i18n.ts';
import { nearest } from '#shared/nearest.ts';
import { ok, type Result } from '#shared/result.ts';
import { sizeForAspect } from '../../../workflows/aspect.ts';
import type { ModelFamily } from '../../../workflows/types.ts';
import { MAX_SEED } from './flags.ts';
import { echo, fail, GrammarCode, listForMessage } from './messages.ts';
import { type FlagValue, textOf } from './input.ts';
import { readBoolean, readNumber } from './numbers.ts';

/** Readers for one flag value each. `flag` is the label shown in errors, e.g. `--steps`. */
type Read<T> = Result<T, UserMessage>;

export interface Range {
  min: number;
  max: number;
}

export interface Size {
  width: number;
  height: number;
}

/** A typed number is taken as it is; text is read strictly (`numbers.ts`); anything else is not a number. */
function numberOf(value: FlagValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' ? readNumber(value) : undefined;
}

export function readRanged(flag: string, value: FlagValue, range: Range, integer: boolean): Read<number> {
  const n = numberOf(value);
  const text = textOf(value);
  if (n === undefined) return fail(GrammarCode.notNumber, { flag, value: echo(text) });
  if (n < range.min || n > range.max) {
    return fail(GrammarCode.outOfRange, { flag, value: echo(text), min: range.min, max: range.max });
  }
  if (integer && !Number.isInteger(n)) return fail(GrammarCode.notInteger, { flag, value: echo(text) });
  return ok(n);
}

/** Seeds: whole numbers 0..2^53-1, or -1 for "random" (returned as -1; the caller draws one). */
export function readSeed(flag: string, value: FlagValue, max = MAX_SEED): Read<number> {
  const n = numberOf(value);
  const text = textOf(value);
  if (n === undefined) return fail(GrammarCode.notNumber, { flag, value: echo(text) });
  if (!Number.isSafeInteger(n) || n < -1 || n > max) {
    return fail(GrammarCode.seedRange, { flag, value: echo(text), max });
  }
  return ok(n);
}

/** Case-insensitive; returns the spelling from `choices`. No choices known → any non-empty text. */
export function readChoice(
  flag: string,
  given: FlagValue,
  choices: readonly string[] | undefined,
): Read<string> {
  const value = textOf(given).trim();
  if (!choices || choices.length === 0) return ok(value);
  const hit = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (hit !== undefined) return ok(hit);
  const suggestion = nearest(value, choices);
  if (suggestion !== undefined) {
    return fail(GrammarCode.badChoiceSuggest, { flag, value: echo(value), suggestion });
  }
  return fail(GrammarCode.badChoice, { flag, value: echo(value), choices: listForMessage(choices) });
}

export function readBool(flag: string, value: FlagValue): Read<boolean> {
  const b = typeof value === 'boolean' ? value : readBoolean(textOf(value));
  return b === undefined ? fail(GrammarCode.notBoolean, { flag, value: echo(textOf(value)) }) : ok(b);
}

const SIZE = /^(\d{1,6})\s*[x×X*]\s*(\d{1,6})$/;

/** `768x1024` (also `×`, `X`, `*`): both sides multiples of 8 and within `bounds`. */
export function readSize(
  flag: string,
  value: FlagValue,
  bounds: { width: Range; height: Range },
): Read<Size> {
  const text = textOf(value);
  const m = SIZE.exec(text.trim());
  if (!m) return fail(GrammarCode.sizeSyntax, { flag, value: echo(text) });
  return checkSize(flag, { width: Number(m[1]), height: Number(m[2]) }, bounds, text);
}

export function checkSize(flag: string, size: Size, bounds: { width: Range; height: Range }, text: string) {
  const { width, height } = size;
  const value = echo(text);
  for (const [side, range] of [
    [width, bounds.width],
    [height, bounds.height],
  ] as const) {
    if (side < range.min || side > range.max) {
      return fail(GrammarCode.sizeRange, { flag, value, min: range.min, max: range.max });
    }
  }
  if (width % 8 !== 0 || height % 8 !== 0) return fail(GrammarCode.sizeMultiple, { flag, value, step: 8 });
  return ok(size);
}

const RATIO = /^(\d{1,4})\s*[:：]\s*(\d{1,4})$/;

/** `16:9` (also the full-width `16：9` Chinese keyboards type) → the family's native size for that ratio. */
export function readAspect(
  flag: string,
  value: FlagValue,
  family: ModelFamily,
  bounds: { width: Range; height: Range },
): Read<Size> {
  const text = textOf(value);
  const m = RATIO.exec(text.trim());
  const w = Number(m?.[1] ?? 0);
  const h = Number(m?.[2] ?? 0);
  if (!m || w === 0 || h === 0) return fail(GrammarCode.aspectSyntax, { flag, value: echo(text) });
  const size = sizeForAspect(family, `${w}:${h}`);
  if (!size.ok) return size;
  return checkSize(flag, size.value, bounds, text);
}
