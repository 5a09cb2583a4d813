import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { MessageParams } from '#shared/i18n.ts';
import { nearest } from '#shared/nearest.ts';
import { err, ok, type Result } from '#shared/result.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;
export interface ArgsError {
  code: string;
  params: MessageParams;
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  lang: { type: 'string' },
} as const satisfies Options;

/**
 * Strict `parseArgs`, with its exceptions turned into messages: an unknown option gets the nearest
 * known one suggested, a missing value names the option.
 */
export function parseCommandArgs(
  args: readonly string[],
  options: Options,
  maxPositionals = Number.POSITIVE_INFINITY,
): Result<{ values: Values; positionals: string[] }, ArgsError> {
  const all = { ...COMMON_OPTIONS, ...options };
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: all,
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (e) {
    return err(describe(e, Object.keys(all)));
  }
  if (parsed.positionals.length > maxPositionals) {
    return err({ code: 'cli.args.extra', params: { value: parsed.positionals[maxPositionals] } });
  }
  return ok(parsed);
}

function describe(e: unknown, known: string[]): ArgsError {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '?';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const suggestion = nearest(option.replace(/^-+/, ''), known);
    return suggestion
      ? { code: 'cli.args.unknown_suggest', params: { option, suggestion: `--${suggestion}` } }
      : { code: 'cli.args.unknown', params: { option } };
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return { code: 'cli.args.value', params: { option } };
  return { code: 'cli.args.invalid', params: { reason: message } };
}
