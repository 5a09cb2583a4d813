import { formatPath } from './json-path.ts';
import type { GraphProblem } from './api-format.ts';

// A few checks for small hand-written files (manifests), in place of a schema library: loading the
// templates is on the path of `comfyrelay workflows`, which must start fast, and a schema library's
// import alone costs more than the rest of the command.

export type Path = readonly (string | number)[];

/** Checks `value` at `path`: the value as wanted, or undefined with the problems added to `problems`. */
export type Check<T> = (value: unknown, path: Path, problems: GraphProblem[]) => T | undefined;

const fail = (problems: GraphProblem[], path: Path, reason: string): undefined => {
  problems.push({ path: formatPath(path), reason });
  return undefined;
};

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

export const text =
  (pattern?: RegExp, hint?: string): Check<string> =>
  (v, path, problems) => {
    if (typeof v !== 'string') return fail(problems, path, `expected text, got ${typeName(v)}`);
    if (v.length === 0) return fail(problems, path, 'must not be empty');
    if (pattern && !pattern.test(v)) return fail(problems, path, hint ?? `must match ${pattern}`);
    return v;
  };

export const number =
  (rule?: 'int' | 'positive'): Check<number> =>
  (v, path, problems) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return fail(problems, path, `expected a number, got ${typeName(v)}`);
    if (rule === 'int' && !Number.isInteger(v)) return fail(problems, path, 'expected a whole number');
    if (rule === 'positive' && !(v > 0)) return fail(problems, path, 'must be greater than 0');
    return v;
  };

export const boolean: Check<boolean> = (v, path, problems) =>
  typeof v === 'boolean' ? v : fail(problems, path, `expected true or false, got ${typeName(v)}`);

/** Text, number or boolean, as given. */
export const scalar: Check<string | number | boolean> = (v, path, problems) =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
    ? v
    : fail(problems, path, `expected text, a number or true/false, got ${typeName(v)}`);

/** A node id: non-empty text or a whole number, as text. */
export const nodeId: Check<string> = (v, path, problems) =>
  (typeof v === 'string' && v.length > 0) || Number.isInteger(v)
    ? String(v)
    : fail(problems, path, `expected a node id (text or a whole number), got ${typeName(v)}`);

export const oneOf =
  <T extends string>(choices: readonly T[]): Check<T> =>
  (v, path, problems) =>
    choices.includes(v as T) ? (v as T) : fail(problems, path, `expected one of ${choices.join(', ')}`);

export const list =
  <T>(item: Check<T>, min = 0): Check<T[]> =>
  (v, path, problems) => {
    if (!Array.isArray(v)) return fail(problems, path, `expected a list, got ${typeName(v)}`);
    if (v.length < min) return fail(problems, path, `must have at least ${min} item(s)`);
    const before = problems.length;
    const out = v.map((x, i) => item(x, [...path, i], problems));
    return problems.length === before ? (out as T[]) : undefined;
  };

/** A mapping whose keys follow `key` and whose values all pass `value`. */
export const record =
  <T>(key: RegExp, keyHint: string, value: Check<T>): Check<Record<string, T>> =>
  (v, path, problems) => {
    if (!isMapping(v)) return fail(problems, path, `expected a mapping, got ${typeName(v)}`);
    const before = problems.length;
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!key.test(k)) fail(problems, [...path, k], `key must be ${keyHint}`);
      const checked = value(x, [...path, k], problems);
      if (checked !== undefined) out[k] = checked;
    }
    return problems.length === before ? out : undefined;
  };

type Fields = Record<string, Check<unknown>>;
type Shaped<F extends Fields> = { [K in keyof F]?: F[K] extends Check<infer T> ? T : never };

/**
 * A mapping with exactly these keys, each optional (absent or `null`-free); an unknown key is a
 * problem naming it. `rule` checks the whole once its fields passed.
 */
export const strict =
  <F extends Fields>(fields: F, rule?: (value: Shaped<F>) => string | undefined): Check<Shaped<F>> =>
  (v, path, problems) => {
    if (!isMapping(v)) return fail(problems, path, `expected a mapping, got ${typeName(v)}`);
    const before = problems.length;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const field = fields[k];
      if (!field) {
        fail(problems, [...path, k], `unknown key "${k}"`);
        continue;
      }
      const checked = field(x, [...path, k], problems);
      if (checked !== undefined) out[k] = checked;
    }
    if (problems.length > before) return undefined;
    const broken = rule?.(out as Shaped<F>);
    return broken ? fail(problems, path, broken) : (out as Shaped<F>);
  };

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
