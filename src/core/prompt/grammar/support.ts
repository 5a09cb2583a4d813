import type { ParamSpec } from '../../../workflows/types.ts';
import type { GrammarTemplate } from './context.ts';
import {
  flagKey,
  HEIGHT_PARAMS,
  RESERVED_PARAMS,
  STANDARD_FLAGS,
  type StandardFlag,
  standardFlag,
  WIDTH_PARAMS,
} from './flags.ts';

/** Which flags a template accepts; shared by resolution errors and help. */

export function findParam(t: GrammarTemplate, names: readonly string[]): ParamSpec | undefined {
  for (const n of names) {
    const hit = t.params.find((p) => flagKey(p.name) === flagKey(n));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The parameters a standard flag writes in `t`, or undefined when `t` has no place for it.
 * `--n` (repeats when there is no batch parameter) and `--model`/`--workflow` (pick templates) always fit.
 */
export function standardTargets(t: GrammarTemplate, flag: StandardFlag): ParamSpec[] | undefined {
  switch (flag.kind) {
    case 'aspect':
    case 'size': {
      const w = findParam(t, WIDTH_PARAMS);
      const h = findParam(t, HEIGHT_PARAMS);
      return w && h ? [w, h] : undefined;
    }
    case 'batch':
    case 'model': {
      const p = findParam(t, flag.params);
      return p ? [p] : [];
    }
    case 'workflow':
      return [];
    default: {
      const p = findParam(t, flag.params);
      return p ? [p] : undefined;
    }
  }
}

/** Parameters reachable only through a standard flag (`sampler_name` is set with `--sampler`). */
export function claimingFlag(param: ParamSpec): StandardFlag | undefined {
  return STANDARD_FLAGS.find(
    (f) => f.kind !== 'model' && f.params.some((n) => flagKey(n) === flagKey(param.name)),
  );
}

/** Parameters that get a `--<name>` flag of their own. */
export function genericParams(t: GrammarTemplate): ParamSpec[] {
  return t.params.filter(
    (p) =>
      p.userSettable &&
      !RESERVED_PARAMS.has(p.name.toLowerCase()) &&
      claimingFlag(p) === undefined &&
      standardFlag(p.name) === undefined,
  );
}

/** `--ar`, `--seed`, … that `t` accepts from users, in table order, then its own parameters. */
export function acceptedFlags(t: GrammarTemplate): string[] {
  const standard = STANDARD_FLAGS.filter((f) => {
    const targets = standardTargets(t, f);
    return targets?.every((p) => p.userSettable) === true;
  }).map((f) => `--${f.name}`);
  return [...standard, ...genericParams(t).map((p) => `--${p.name}`)];
}

/** Whether `t` accepts the flag spelled `name` (standard or its own parameter). */
export function templateAccepts(t: GrammarTemplate, name: string): boolean {
  const std = standardFlag(name);
  if (std) {
    const targets = standardTargets(t, std);
    return targets?.every((p) => p.userSettable) === true;
  }
  return genericParams(t).some((p) => flagKey(p.name) === flagKey(name));
}
