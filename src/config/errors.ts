import type { z } from 'zod';
import { type Locale, type MessageParams, t } from '#shared/i18n.ts';
import './messages.ts';
import { nearest } from '#shared/nearest.ts';
import { isSecretPath, REDACTED, redactUrl, scrub } from './redact.ts';

/** One problem with one key. `value` is already redacted and shortened; absent when not shown. */
export interface ConfigIssue {
  /** `backends[0].url` */
  path: string;
  /** Message code in `catalog-config.ts`, with its params. */
  code: string;
  params: MessageParams;
  value?: string;
  /** `COMFYRELAY_HTTP_PORT` when the value came from the environment. */
  source?: string;
}

export type ConfigError =
  | { kind: 'unreadable'; file: string; reason: string }
  | { kind: 'syntax'; file: string; line: number; column: number; reason: string }
  | { kind: 'not_mapping'; file: string }
  | { kind: 'invalid'; file?: string; issues: ConfigIssue[] };

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

/** Turns zod issues into readable ones; `input` is the merged raw configuration, `sources` maps env keys. */
export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  sources: ReadonlyMap<string, string>,
  secrets: readonly string[],
  knownKeys: (path: Path) => string[],
): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const suggestion = nearest(key, knownKeys(issue.path));
        return {
          path: formatPath([...issue.path, key]),
          code: suggestion ? 'config.issue.unknown_key_suggest' : 'config.issue.unknown_key',
          params: { suggestion },
        };
      });
    }
    const [code, params] = describe(issue);
    const out: ConfigIssue = { path: formatPath(issue.path), code, params };
    const value = show(valueAt(input, issue.path), issue.path, secrets);
    if (value !== undefined) out.value = value;
    const source = sourceOf(issue.path, sources);
    if (source !== undefined) out.source = source;
    return [out];
  });
}

function describe(issue: z.core.$ZodIssue): [string, MessageParams] {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int'
        ? ['config.issue.integer', {}]
        : ['config.issue.type', { expected: issue.expected }];
    case 'too_small':
      if (issue.origin === 'array') return ['config.issue.too_few', { min: String(issue.minimum) }];
      if (issue.origin === 'string') return ['config.issue.empty', {}];
      return [issue.inclusive ? 'config.issue.min' : 'config.issue.above', { min: String(issue.minimum) }];
    case 'too_big':
      return ['config.issue.max', { max: String(issue.maximum) }];
    case 'invalid_value':
      return ['config.issue.one_of', { values: issue.values.map((v) => String(v)).join(', ') }];
    case 'invalid_format':
      return ['config.issue.pattern', { pattern: 'pattern' in issue ? String(issue.pattern) : issue.format }];
    case 'invalid_union':
      return ['config.issue.union', {}];
    case 'custom': {
      const { expected, ...params } = (issue.params ?? {}) as { expected?: string } & MessageParams;
      return expected ? [`config.issue.${expected}`, params] : ['config.issue.invalid', {}];
    }
    default:
      return ['config.issue.invalid', {}];
  }
}

function valueAt(input: unknown, path: Path): unknown {
  let node = input;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Scalars only, secrets hidden, URL credentials hidden, long text cut. */
function show(value: unknown, path: Path, secrets: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (isSecretPath(path.filter((k) => typeof k !== 'symbol') as (string | number)[])) return REDACTED;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(redactUrl(value)) : String(value);
  const shown = scrub(text, secrets);
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

function sourceOf(path: Path, sources: ReadonlyMap<string, string>): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const hit = sources.get(
      path
        .slice(0, n)
        .filter((k) => typeof k === 'string')
        .join('.'),
    );
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A multi-line, human-readable message, in English by default.
 * @example
 * The configuration is not valid (comfyrelay.config.yaml and the environment):
 *   • http.port: must be at least 0 (got -1, from COMFYRELAY_HTTP_PORT)
 */
export function formatConfigError(e: ConfigError, locale: Locale = 'en'): string {
  switch (e.kind) {
    case 'unreadable':
      return t(locale, 'config.error.unreadable', { file: e.file, reason: e.reason });
    case 'syntax':
      return t(locale, 'config.error.syntax', {
        file: e.file,
        line: e.line,
        column: e.column,
        reason: e.reason,
      });
    case 'not_mapping':
      return t(locale, 'config.error.not_mapping', { file: e.file });
    case 'invalid': {
      const head = t(locale, e.file ? 'config.error.invalid_file' : 'config.error.invalid', { file: e.file });
      const lines = e.issues.map((i) => {
        const what = t(locale, i.code, i.params);
        const got =
          i.value !== undefined && i.source !== undefined
            ? t(locale, 'config.issue.got_from', { value: i.value, source: i.source })
            : i.value !== undefined
              ? t(locale, 'config.issue.got', { value: i.value })
              : i.source !== undefined
                ? t(locale, 'config.issue.from', { source: i.source })
                : '';
        return `  • ${i.path || '(root)'}: ${what}${got}`;
      });
      return [head, ...lines].join('\n');
    }
  }
}
