import type { MessageParams, UserMessage } from '#shared/i18n.ts';
import { err } from '#shared/result.ts';

/** The error codes of the grammar; texts live in `src/core/i18n/catalog-grammar.ts`. */
export const GrammarCode = {
  promptEmpty: 'grammar.prompt.empty',
  promptTooLong: 'grammar.prompt.too_long',
  unknownFlag: 'grammar.flag.unknown',
  unknownFlagSuggest: 'grammar.flag.unknown_suggest',
  missingValue: 'grammar.flag.missing_value',
  notInTemplate: 'grammar.flag.not_in_template',
  notInTemplateTry: 'grammar.flag.not_in_template_try',
  notUserSettable: 'grammar.flag.not_user_settable',
  imageFlag: 'grammar.flag.image',
  conflict: 'grammar.flag.conflict',
  exclusive: 'grammar.flag.exclusive',
  notNumber: 'grammar.value.not_number',
  notInteger: 'grammar.value.not_integer',
  outOfRange: 'grammar.value.out_of_range',
  notBoolean: 'grammar.value.not_boolean',
  badChoice: 'grammar.value.choice',
  badChoiceSuggest: 'grammar.value.choice_suggest',
  textTooLong: 'grammar.value.too_long',
  seedRange: 'grammar.seed.range',
  aspectSyntax: 'grammar.ar.syntax',
  sizeSyntax: 'grammar.size.syntax',
  sizeMultiple: 'grammar.size.multiple',
  sizeRange: 'grammar.size.out_of_range',
  unknownTemplate: 'grammar.template.unknown',
  unknownTemplateSuggest: 'grammar.template.unknown_suggest',
} as const;

export type GrammarCode = (typeof GrammarCode)[keyof typeof GrammarCode];

export function fail(code: GrammarCode, params: MessageParams): { ok: false; error: UserMessage } {
  return err({ code, params });
}

/** A readable list for a message, cut after `max` items so a 300-checkpoint list stays short. */
export function listForMessage(items: readonly string[], max = 20): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}, … (+${items.length - max})` : shown;
}

/** Values are echoed back cut short, so a pasted essay does not fill the error. */
export function echo(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
