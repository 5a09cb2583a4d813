import type { UserMessage } from '#shared/i18n.ts';
import { ok, type Result } from '#shared/result.ts';
import type { GrammarContext, GrammarTemplate } from './context.ts';
import { standardFlag } from './flags.ts';
import { echo, fail, GrammarCode, listForMessage } from './messages.ts';
import { type FlagInput, labelOf, textOf } from './input.ts';
import { findParam } from './support.ts';
import { CHECKPOINT_PARAMS } from './flags.ts';
import { closestTemplateWord, findTemplate, templateWords } from './template.ts';

export interface ChosenTemplate {
  template: GrammarTemplate;
  /** `--model` flags that named no template: they pick a checkpoint of the chosen template instead. */
  checkpointFlags: FlagInput[];
}

/**
 * `--workflow x` must name a template. `--model x` names a template when one fits, otherwise a
 * checkpoint of the chosen template (when it has a user-settable `checkpoint` parameter).
 * Naming two different templates is an error; no flag → `ctx.defaultTemplate`.
 */
export function chooseTemplate(
  flags: readonly FlagInput[],
  ctx: GrammarContext,
): Result<ChosenTemplate, UserMessage> {
  let chosen: { template: GrammarTemplate; flag: FlagInput } | undefined;
  const checkpointFlags: FlagInput[] = [];
  for (const flag of flags) {
    const kind = standardFlag(flag.name)?.kind;
    if (kind !== 'workflow' && kind !== 'model') continue;
    const label = labelOf(flag);
    const value = textOf(flag.value);
    if (value === '') return fail(GrammarCode.missingValue, { flag: label });
    const found = findTemplate(value, ctx);
    if (!found) {
      if (kind === 'model') checkpointFlags.push(flag);
      else return unknownTemplate(label, value, ctx);
      continue;
    }
    if (chosen && chosen.template !== found) {
      return fail(GrammarCode.conflict, {
        flag: label,
        first: echo(textOf(chosen.flag.value)),
        second: echo(value),
      });
    }
    chosen = { template: found, flag };
  }
  const template = chosen?.template ?? ctx.templates.find((t) => t.name === ctx.defaultTemplate);
  if (!template)
    throw new Error(`grammar: default template "${ctx.defaultTemplate}" is not among ctx.templates`);
  const first = checkpointFlags[0];
  if (first) {
    const checkpoint = findParam(template, CHECKPOINT_PARAMS);
    if (!checkpoint?.userSettable) return unknownTemplate(labelOf(first), textOf(first.value), ctx);
  }
  return ok({ template, checkpointFlags });
}

function unknownTemplate(flag: string, value: string, ctx: GrammarContext) {
  const suggestion = closestTemplateWord(value, ctx);
  if (suggestion) return fail(GrammarCode.unknownTemplateSuggest, { flag, value: echo(value), suggestion });
  return fail(GrammarCode.unknownTemplate, {
    flag,
    value: echo(value),
    available: listForMessage(templateWords(ctx)),
  });
}
