import { t } from '../core/i18n/catalogs.ts';
import './catalog.ts';
import type { Locale, MessageParams, UserMessage } from '#shared/i18n.ts';
import type { ArgsError } from './args.ts';
import { type CliIo, Exit } from './io.ts';

export type Translate = (code: string, params?: MessageParams) => string;

/** `t` bound to a locale. */
export function translate(locale: Locale): Translate {
  return (code, params = {}) => t(locale, code, params);
}

/** A message from the core; a code no catalogue knows yet is still shown with its details. */
export function userText(locale: Locale, message: UserMessage): string {
  const text = t(locale, message.code, message.params ?? {});
  if (text !== message.code) return text;
  const details = Object.entries(message.params ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${String(v)}`);
  return details.length > 0 ? `${message.code} (${details.join(', ')})` : message.code;
}

/** Prints a usage error with a pointer to the command's help; exit code 2. */
export function printArgsError(io: CliIo, error: ArgsError, command?: string): number {
  const tr = translate(io.locale());
  io.err(tr(error.code, error.params));
  io.err(tr('cli.args.see_help', { command: command ? `comfyrelay ${command}` : 'comfyrelay' }));
  return Exit.usage;
}
