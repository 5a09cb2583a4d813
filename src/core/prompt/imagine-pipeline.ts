import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';
import { checkInputImage } from '../chat/input-image.ts';
import { findBannedWord } from '../chat/community-policy.ts';
import { pickDefaultTemplate, pickImageTemplate, type RunnableCheck } from '../jobs/default-template.ts';
import { requestsFrom } from './job-requests.ts';
import {
  DEFAULT_LIMITS,
  type FlagInput,
  findTemplate,
  type GrammarContext,
  type GrammarLimits,
  GrammarCode,
  parsePrompt,
  type ResolvedOptions,
  resolveOptions,
  standardFlag,
  toGrammarTemplate,
} from './grammar/index.ts';
import type { CheckedImage, GivenImage, ImaginePlan, ImagineRequest } from './imagine-request.ts';
import type { ModelSource } from './installed-catalog.ts';
import { resolveLoras, takeLoras } from './lora-request.ts';
import { withInstalledModels } from './model-binding.ts';
import { chooseModel } from './model-choice.ts';
import './messages.ts';
import { mergeFlags, optionFlags, savedDefaults, savedModel } from './option-flags.ts';
import { checkPlace, refusalFor, templatesFor } from './place-rules.ts';

/** What the pipeline reads from the app: the loaded templates and whether a backend could run one. */
export interface ImagineContext {
  templates: ReadonlyMap<string, WorkflowTemplate>;
  pool: RunnableCheck;
  limits?: Partial<GrammarLimits>;
  /**
   * The backends' installed models and the operator's `models:` section, read per request. Without it,
   * `--model` names templates only and LoRA names are taken as written.
   */
  models?: () => ModelSource;
}

type Outcome<T> = Result<T, UserMessage>;

/**
 * The one place that decides what an `/imagine` means, for every front end: who may ask here, which
 * template (named, else image-to-image for an attached image, else the person's default, else one a
 * backend can run), the channel's templates and the NSFW rule, every value and its range (the grammar,
 * typed options winning over text flags), the model (`--model` naming an installed file) and LoRAs
 * (`<lora:name:0.8>`, `--lora`) within the operator's lists and limits, banned words, the input image,
 * and repeats. Quota is the engine's, at submit (`submitPlan`).
 */
export async function planImagine(ctx: ImagineContext, req: ImagineRequest): Promise<Outcome<ImaginePlan>> {
  const allowed = checkPlace(req.requester, req.place, req.policy);
  if (!allowed.ok) return allowed;
  const all = [...ctx.templates.values()];
  const usable = templatesFor(all, req.place, req.policy);
  const source: ModelSource = ctx.models?.() ?? { backends: [] };
  const runnable = usable.map((t) => withInstalledModels(t, source));
  const fallback =
    (req.image ? pickImageTemplate(runnable, ctx.pool) : undefined) ??
    pickDefaultTemplate(runnable, ctx.pool, req.settings?.workflow);
  if (!fallback) return err({ code: 'prompt.noTemplates' });
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const grammar: GrammarContext = {
    templates: usable.map((t) => toGrammarTemplate(t)),
    defaultTemplate: fallback.name,
    limits,
  };
  const everywhere: GrammarContext = { ...grammar, templates: all.map((t) => toGrammarTemplate(t)) };

  const parsed = parsePrompt(req.text);
  const namesTemplate = (value: string) => findTemplate(value, everywhere) !== undefined;
  const flags = mergeFlags(parsed.flags, optionFlags(req.options), namesTemplate);
  const notHere = templateNotHere(flags, grammar, everywhere);
  if (notHere) return err(refusalFor(ctx.templates.get(notHere)!, req.place, usable));

  const text = req.options?.prompt?.trim() || parsed.prompt;
  const taken = takeLoras(text, flags, req.options?.loras);
  const choose = (extra: FlagInput[]) =>
    chooseModel(source, {
      flags: [...taken.flags, ...extra],
      usable,
      grammar,
      fallback,
      preferred: req.settings?.workflow,
      withImage: req.image !== undefined,
      communityId: req.place.communityId,
    });
  // A saved model that is no longer installed or allowed is a preference dropped, not a refusal.
  const saved = savedModel(req.settings, taken.flags, fallback.name, (v) => findTemplate(v, grammar)?.name);
  const withSaved = saved.length ? choose(saved) : undefined;
  const chosen = withSaved?.ok ? withSaved : choose([]);
  if (!chosen.ok) return chosen;
  const resolved = resolve(ctx, req, { prompt: taken.prompt, flags: chosen.value.flags, grammar, limits });
  if (!resolved.ok) return resolved;
  const r = resolved.value;
  const template = ctx.templates.get(r.template)!;
  const loras = resolveLoras(taken.specs, template, source, req.place.communityId);
  if (!loras.ok) return loras;

  const chosenFiles = [...Object.values(chosen.value.models ?? {}), ...loras.value.map((l) => l.name)];
  const values = Object.values(r.values).filter((v) => typeof v === 'string');
  const texts = [r.prompt, r.negative ?? '', ...values, ...chosenFiles];
  const banned = findBannedWord(texts.join('\n'), req.policy.bannedWords);
  if (banned) return err({ code: 'chat.bannedWord', params: { word: banned } });

  const image = await imageFor(template, req.image);
  if (!image.ok) return image;
  const seedSpec = template.params['seed'] ?? template.params['noise_seed'];
  return ok({
    template,
    requests: requestsFrom(r, seedSpec?.max, { models: chosen.value.models, loras: loras.value }),
    ...(image.value ? { image: image.value } : {}),
  });
}

/** A template the flags name that exists but is not usable here (its refusal is more useful than "unknown"). */
function templateNotHere(
  flags: readonly FlagInput[],
  here: GrammarContext,
  everywhere: GrammarContext,
): string | undefined {
  for (const flag of flags) {
    const kind = standardFlag(flag.name)?.kind;
    if (kind !== 'workflow' && kind !== 'model') continue;
    const value = String(flag.value);
    if (findTemplate(value, here)) continue;
    const elsewhere = findTemplate(value, everywhere);
    if (elsewhere) return elsewhere.name;
  }
  return undefined;
}

interface Resolving {
  prompt: string;
  flags: FlagInput[];
  grammar: GrammarContext;
  limits: GrammarLimits;
}

/**
 * The grammar on the request, then again with the person's saved defaults; a default the template
 * refuses is dropped rather than refusing the request. With an input image and no prompt, a template
 * that takes no prompt (an upscale) runs; the image's name (or the template's) stands in as its prompt.
 */
function resolve(ctx: ImagineContext, req: ImagineRequest, r: Resolving): Outcome<ResolvedOptions> {
  const standIn = !r.prompt.trim() && req.image ? (req.image.name ?? 'image') : undefined;
  const prompt = standIn ?? r.prompt;
  const first = resolveOptions({ prompt, flags: r.flags }, r.grammar);
  if (!first.ok) return first;
  const template = ctx.templates.get(first.value.template)!;
  if (standIn !== undefined && template.params['prompt']) return err({ code: GrammarCode.promptEmpty });
  const defaults = savedDefaults(req.settings, r.flags, template, r.limits);
  const withDefaults = defaults.length
    ? resolveOptions({ prompt, flags: [...r.flags, ...defaults] }, r.grammar)
    : first;
  const resolved = withDefaults.ok ? withDefaults.value : first.value;
  return ok(standIn === undefined ? resolved : { ...resolved, prompt: req.image?.name ?? template.name });
}

/** The input image a template takes, checked by its bytes; refused when missing, unreadable or unused. */
async function imageFor(
  template: WorkflowTemplate,
  given: GivenImage | undefined,
): Promise<Outcome<CheckedImage | undefined>> {
  if (!template.params['image']) {
    return given ? err({ code: 'prompt.image.unused', params: { template: template.name } }) : ok(undefined);
  }
  if (!given) return err({ code: 'jobs.needsImage', params: { template: template.name } });
  const checked = await checkInputImage(given.bytes);
  return checked.ok ? ok({ bytes: given.bytes, ...checked.value }) : checked;
}
