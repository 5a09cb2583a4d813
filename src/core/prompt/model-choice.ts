import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { installedForSlot, unionOf } from '../../workflows/installed-models.ts';
import { familyOfFile, type ModelMapping, mayChoose } from '../../workflows/model-mapping.ts';
import { findModelFile } from '../../workflows/model-names.ts';
import { mainSlot } from '../../workflows/model-slots.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';
import { type FlagInput, findTemplate, type GrammarContext, labelOf, standardFlag } from './grammar/index.ts';
import { catalogsFor, type ModelSource } from './installed-catalog.ts';
import { listForMessage } from './grammar/messages.ts';

export interface ModelChoiceInput {
  flags: readonly FlagInput[];
  /** Templates usable here, in preference order; `grammar` is their grammar view. */
  usable: readonly WorkflowTemplate[];
  grammar: GrammarContext;
  /** What runs when nothing names a template; the person's saved workflow comes first. */
  fallback: WorkflowTemplate;
  preferred?: string;
  withImage: boolean;
  communityId?: string;
}

export interface ModelChoice {
  /** The flags left for the grammar: a `--model` naming a file is replaced by the template it picks. */
  flags: FlagInput[];
  /** Slot name → chosen file, for the job request. */
  models?: Record<string, string>;
}

type Fail = { ok: false; error: UserMessage };

/**
 * `--model NAME` where NAME is no template: an installed model file (fuzzy, see `findModelFile`) of the
 * main slot of a usable template, on a backend that can run it, allowed by the operator's lists. The
 * template is the one named, else the person's or the default one when it takes that file and its family
 * fits, else the first of the file's family. With no backend catalogue known, the flags are left as they
 * are (the grammar then reads the value as before).
 */
export function chooseModel(source: ModelSource, input: ModelChoiceInput): Result<ModelChoice, UserMessage> {
  const isModelFlag = (f: FlagInput) => standardFlag(f.name)?.kind === 'model';
  const fileFlags = input.flags.filter(
    (f) => isModelFlag(f) && !findTemplate(String(f.value), input.grammar),
  );
  const first = fileFlags[0];
  if (!first) return ok({ flags: [...input.flags] });
  const value = String(first.value).trim();
  const other = fileFlags.find((f) => String(f.value).trim() !== value);
  if (other) {
    return err({
      code: 'grammar.flag.conflict',
      params: { flag: labelOf(other), first: value, second: String(other.value) },
    });
  }
  const named = namedTemplate(input);
  const candidates = (named ? [named] : input.usable).flatMap((template) => {
    const slot = mainSlot(template.slots);
    if (!slot) return [];
    const files = unionOf(
      catalogsFor(source.backends, template).map((c) => installedForSlot(c.objectInfo, slot)),
    );
    return [{ template, slot, files }];
  });
  if (candidates.every((c) => c.files.length === 0)) {
    if (named && candidates.length === 0)
      return err({ code: 'prompt.model.noSlot', params: { template: named.name } });
    return ok({ flags: [...input.flags] });
  }
  const allowed = (file: string, template: WorkflowTemplate) =>
    mayChoose(file, { template: template.name, communityId: input.communityId }, source.mapping);
  const choosable = unionOf(candidates.map((c) => c.files.filter((f) => allowed(f, c.template))));
  const match = findModelFile(value, choosable);
  if (match.kind === 'ambiguous') {
    return err({ code: 'prompt.model.ambiguous', params: { value, files: listForMessage(match.files, 8) } });
  }
  if (match.kind === 'none') return unknownModel(value, candidates, choosable, input, allowed);
  const file = match.file;
  const fits = candidates.filter((c) => c.files.includes(file) && allowed(file, c.template));
  const picked = pickTemplate(file, fits, input, source.mapping)!;
  const flags = input.flags.filter((f) => !fileFlags.includes(f));
  if (!named) flags.push({ name: 'workflow', value: picked.template.name, label: labelOf(first) });
  return ok({ flags, models: { [picked.slot.name]: file } });
}

/** The template the other flags name (checked usable before), if any. */
function namedTemplate(input: ModelChoiceInput): WorkflowTemplate | undefined {
  for (const f of input.flags) {
    const kind = standardFlag(f.name)?.kind;
    if (kind !== 'workflow' && kind !== 'model') continue;
    const found = findTemplate(String(f.value), input.grammar);
    if (found) return input.usable.find((t) => t.name === found.name);
  }
  return undefined;
}

type Candidate = {
  template: WorkflowTemplate;
  slot: NonNullable<ReturnType<typeof mainSlot>>;
  files: string[];
};

/** The person's or the default template when it fits the file's family, else the first of that family. */
function pickTemplate(
  file: string,
  fits: readonly Candidate[],
  input: ModelChoiceInput,
  mapping: ModelMapping | undefined,
): Candidate | undefined {
  const family = familyOfFile(file, mapping);
  const fitsHere = (c: Candidate) =>
    (family === undefined || c.template.family === family) &&
    Boolean(c.template.params['image']) === input.withImage;
  const byName = (name: string | undefined) => fits.filter((c) => c.template.name === name);
  const ranked = [...byName(input.preferred), ...byName(input.fallback.name), ...fits].filter(fitsHere);
  return ranked[0] ?? fits.find((c) => Boolean(c.template.params['image']) === input.withImage) ?? fits[0];
}

function unknownModel(
  value: string,
  candidates: readonly Candidate[],
  choosable: readonly string[],
  input: ModelChoiceInput,
  allowed: (file: string, template: WorkflowTemplate) => boolean,
): Fail {
  const exact = candidates.find((c) => findModelFile(value, c.files).kind === 'found');
  if (exact) {
    const file = (findModelFile(value, exact.files) as { file: string }).file;
    if (!allowed(file, exact.template)) {
      return err({
        code: 'prompt.model.notAllowed',
        params: { file, template: exact.template.name, allowed: listForMessage(choosable, 10) || '-' },
      });
    }
  }
  const templates = input.grammar.templates.map((t) => t.name);
  const near = findModelFile(value, [...choosable, ...templates]);
  const suggestion = near.kind === 'found' ? near.file : near.kind === 'none' ? near.suggestion : undefined;
  if (suggestion) return err({ code: 'prompt.model.unknownSuggest', params: { value, suggestion } });
  return err({
    code: 'prompt.model.unknown',
    params: { value, templates: listForMessage(templates, 10), models: listForMessage(choosable, 10) || '-' },
  });
}
