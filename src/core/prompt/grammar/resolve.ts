import type { UserMessage } from '#shared/i18n.ts';
import { ok, type Result } from '#shared/result.ts';
import type { ParamSpec, ParamValues } from '../../../workflows/types.ts';
import { DEFAULT_LIMITS, type GrammarContext, type GrammarLimits } from './context.ts';
import { MAX_SEED, type StandardFlag, standardFlag } from './flags.ts';
import { echo, fail, GrammarCode } from './messages.ts';
import { paramRange, readParam, sideRange } from './param-read.ts';
import { type FlagInput, labelOf, type PromptInput, textOf } from './input.ts';
import { chooseTemplate } from './resolve-template.ts';
import { routeFlag } from './route.ts';
import { standardTargets } from './support.ts';
import { readAspect, readChoice, readRanged, readSeed, readSize } from './values.ts';

/** Stage 2 output: everything a job needs from the line the user typed. */
export interface ResolvedOptions {
  template: string;
  /** The text before the flags, verbatim apart from trimming. */
  prompt: string;
  /** `--negative`, then each `--no`, joined with ", ". */
  negative?: string;
  /** Only what the user set, by template parameter name; the binder fills in defaults. */
  values: ParamValues;
  /** An explicit seed ≥ 0, also in `values`. Absent for no `--seed` or `--seed -1`: draw a random one. */
  seed?: number;
  /** `--n` on a template without a batch parameter: queue this many runs (with successive seeds). */
  repeat?: number;
}

type Fail = { ok: false; error: UserMessage };

/**
 * Gives parsed flags meaning for the chosen template: checks every value and maps standard flags to
 * parameters. The first problem found is returned as a `UserMessage` naming the flag and what it accepts.
 */
export function resolveOptions(
  parsed: PromptInput,
  ctx: GrammarContext,
): Result<ResolvedOptions, UserMessage> {
  const limits: GrammarLimits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const prompt = parsed.prompt.trim();
  if (prompt.length === 0) return fail(GrammarCode.promptEmpty, {});
  const length = [...prompt].length;
  if (length > limits.maxPromptLength) {
    return fail(GrammarCode.promptTooLong, { length, max: limits.maxPromptLength });
  }
  const picked = chooseTemplate(parsed.flags, ctx);
  if (!picked.ok) return picked;
  const { template, checkpointFlags } = picked.value;

  const state = new Assignments();
  const negatives: string[] = [];
  let negative: { label: string; text: string } | undefined;
  let repeat: number | undefined;

  for (const flag of parsed.flags as FlagInput[]) {
    const label = labelOf(flag);
    const text = textOf(flag.value);
    const route = routeFlag(flag, template, ctx);
    if (!route.ok) return route;
    const { std, param } = route.value;
    if (std?.kind === 'workflow' || (std?.kind === 'model' && !checkpointFlags.includes(flag))) continue;
    if (flag.value === '' && !(param?.kind === 'boolean' && !std)) {
      return fail(GrammarCode.missingValue, { flag: label });
    }
    const id = std?.name ?? param?.name ?? flag.name;
    let outcome: Fail | undefined;
    if (std) {
      const targets = standardTargets(template, std) ?? [];
      switch (std.kind) {
        case 'aspect':
        case 'size': {
          const [w, h] = targets as [ParamSpec, ParamSpec];
          const bounds = { width: sideRange(w, limits), height: sideRange(h, limits) };
          const size =
            std.kind === 'aspect'
              ? readAspect(label, flag.value, template.family, bounds)
              : readSize(label, flag.value, bounds);
          if (!size.ok) return size;
          outcome =
            state.set(w.name, size.value.width, id, label, text) ??
            state.set(h.name, size.value.height, id, label, text);
          break;
        }
        case 'seed': {
          const [p] = targets as [ParamSpec];
          const seed = readSeed(label, flag.value, Math.min(p.max ?? MAX_SEED, MAX_SEED));
          if (!seed.ok) return seed;
          outcome = state.set(p.name, seed.value, id, label, text);
          break;
        }
        case 'int':
        case 'float': {
          const [p] = targets as [ParamSpec];
          const cap = std.name === 'steps' ? limits.maxSteps : Number.POSITIVE_INFINITY;
          const range = paramRange(p, std.fallback, cap);
          const n = readRanged(label, flag.value, range, std.kind === 'int' || p.kind === 'int');
          if (!n.ok) return n;
          outcome = state.set(p.name, n.value, id, label, text);
          break;
        }
        case 'batch': {
          const p = targets[0];
          const range = { min: 1, max: Math.min(limits.maxBatch, p?.max ?? limits.maxBatch) };
          const n = readRanged(label, flag.value, range, true);
          if (!n.ok) return n;
          if (p) outcome = state.set(p.name, n.value, id, label, text);
          else if (repeat !== undefined && repeat !== n.value) {
            return fail(GrammarCode.conflict, { flag: label, first: repeat, second: echo(text) });
          } else repeat = n.value;
          break;
        }
        case 'choice':
        case 'model': {
          const [p] = targets as [ParamSpec];
          const c = readChoice(label, flag.value, p.choices);
          if (!c.ok) return c;
          outcome = state.set(p.name, c.value, id, label, text);
          break;
        }
        case 'negative':
          if (negative && negative.text !== text) {
            return fail(GrammarCode.conflict, {
              flag: label,
              first: echo(negative.text),
              second: echo(text),
            });
          }
          negative = { label, text };
          break;
        case 'negative-append':
          negatives.push(text);
          break;
      }
    } else if (param) {
      const value = readParam(label, flag.value, param, limits);
      if (!value.ok) return value;
      outcome = state.set(param.name, value.value, id, label, text);
    }
    if (outcome) return outcome;
  }

  const negativeText = [negative?.text, ...negatives].filter((s) => s !== undefined && s !== '').join(', ');
  if ([...negativeText].length > limits.maxPromptLength) {
    const flag = negative?.label ?? '--no';
    return fail(GrammarCode.textTooLong, {
      flag,
      length: [...negativeText].length,
      max: limits.maxPromptLength,
    });
  }
  const values = state.values;
  const seedParam = standardTargets(template, standardFlag('seed') as StandardFlag)?.[0];
  const seedValue = seedParam ? values[seedParam.name] : undefined;
  if (seedParam && seedValue === -1) delete values[seedParam.name];
  return ok({
    template: template.name,
    prompt,
    ...(negativeText ? { negative: negativeText } : {}),
    values,
    ...(typeof seedValue === 'number' && seedValue >= 0 ? { seed: seedValue } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
  });
}

/** Who set each parameter, so repeats with another value and competing flags are reported. */
class Assignments {
  readonly values: ParamValues = {};
  private readonly by = new Map<string, { id: string; label: string; raw: string }>();

  set(
    param: string,
    value: string | number | boolean,
    id: string,
    label: string,
    raw: string,
  ): Fail | undefined {
    const prev = this.by.get(param);
    if (prev && prev.id !== id) return fail(GrammarCode.exclusive, { flag: label, other: prev.label });
    if (prev && this.values[param] !== value) {
      return fail(GrammarCode.conflict, { flag: label, first: echo(prev.raw), second: echo(raw) });
    }
    this.by.set(param, { id, label, raw });
    this.values[param] = value;
    return undefined;
  }
}
