import type { UserMessage } from '#shared/i18n.ts';
import { nearest } from '#shared/nearest.ts';
import { ok, type Result } from '#shared/result.ts';
import type { ParamSpec } from '../../../workflows/types.ts';
import type { GrammarContext, GrammarTemplate } from './context.ts';
import { flagKey, STANDARD_SPELLINGS, type StandardFlag, standardFlag } from './flags.ts';
import { fail, GrammarCode, listForMessage } from './messages.ts';
import { type FlagInput, labelOf } from './input.ts';
import { acceptedFlags, claimingFlag, genericParams, standardTargets, templateAccepts } from './support.ts';

type Fail = { ok: false; error: UserMessage };

export /** Decides what a flag is for the chosen template, or why it cannot be used there. */
function routeFlag(
  flag: FlagInput,
  template: GrammarTemplate,
  ctx: GrammarContext,
): Result<{ std?: StandardFlag; param?: ParamSpec }, UserMessage> {
  const label = labelOf(flag);
  const own = template.params.find((p) => flagKey(p.name) === flagKey(flag.name));
  const std = standardFlag(flag.name) ?? (own ? claimingFlag(own) : undefined);
  if (std) {
    if (std.kind === 'workflow' || std.kind === 'model') return ok({ std });
    const targets = standardTargets(template, std);
    if (!targets) return notInTemplate(label, flag.name, template, ctx);
    if (targets.some((p) => !p.userSettable)) return fail(GrammarCode.notUserSettable, { flag: label });
    return ok({ std });
  }
  if (own) {
    if (!own.userSettable || !genericParams(template).includes(own)) {
      return fail(GrammarCode.notUserSettable, { flag: label });
    }
    if (own.kind === 'image') return fail(GrammarCode.imageFlag, { flag: label });
    return ok({ param: own });
  }
  if (ctx.templates.some((t) => templateAccepts(t, flag.name))) {
    return notInTemplate(label, flag.name, template, ctx);
  }
  const known = [...STANDARD_SPELLINGS, ...genericParams(template).map((p) => flagKey(p.name))];
  const suggestion = nearest(flagKey(flag.name), known);
  if (suggestion) return fail(GrammarCode.unknownFlagSuggest, { flag: label, suggestion: `--${suggestion}` });
  return fail(GrammarCode.unknownFlag, { flag: label, available: acceptedFlags(template).join(' ') });
}

function notInTemplate(label: string, name: string, template: GrammarTemplate, ctx: GrammarContext): Fail {
  const available = acceptedFlags(template).join(' ');
  const others = ctx.templates.filter((t) => t !== template && templateAccepts(t, name)).map((t) => t.name);
  if (others.length === 0)
    return fail(GrammarCode.notInTemplate, { flag: label, template: template.name, available });
  return fail(GrammarCode.notInTemplateTry, {
    flag: label,
    template: template.name,
    available,
    others: listForMessage(others, 5),
  });
}
