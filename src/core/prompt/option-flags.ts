import type { WorkflowTemplate } from '../../workflows/types.ts';
import type { UserSettings } from '../chat/user-settings.ts';
import {
  type FlagInput,
  flagKey,
  type GrammarLimits,
  STANDARD_FLAGS,
  standardFlag,
  templateAccepts,
  toGrammarTemplate,
} from './grammar/index.ts';
import type { ImagineOptions } from './imagine-request.ts';

/** Each typed option and the grammar flag it sets. */
const OPTION_FLAGS = {
  negative: 'negative',
  template: 'workflow',
  model: 'model',
  aspect: 'ar',
  size: 'size',
  seed: 'seed',
  steps: 'steps',
  cfg: 'cfg',
  denoise: 'denoise',
  count: 'n',
  sampler: 'sampler',
  scheduler: 'scheduler',
} as const satisfies Partial<Record<keyof ImagineOptions, string>>;

/** Typed options as the grammar's input, named in errors by their own names (`steps`, not `--steps`). */
export function optionFlags(options: ImagineOptions = {}): FlagInput[] {
  const flags: FlagInput[] = [];
  for (const [option, name] of Object.entries(OPTION_FLAGS)) {
    const value = options[option as keyof typeof OPTION_FLAGS];
    if (value !== undefined && value !== '') flags.push({ name, value, label: option });
  }
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined && value !== '') flags.push({ name, value, label: name });
  }
  return flags;
}

const DIMENSIONS = new Set(['ar', 'aspect', 'size', 'width', 'height']);

/**
 * What a flag or parameter name sets, so a typed value can replace every spelling of it in the text:
 * `--aspect`, `--size` and `width` are all the image's dimensions; `batch_size` is `--n`.
 */
export function settingKey(name: string): string {
  const key = flagKey(name);
  if (DIMENSIONS.has(key)) return 'dimensions';
  const std = standardFlag(key) ?? STANDARD_FLAGS.find((f) => f.params.some((p) => flagKey(p) === key));
  if (std?.kind === 'workflow') return 'template';
  return std?.name ?? key;
}

/**
 * The text's flags with every setting a typed option also sets left out, then the typed options.
 * A typed template also replaces a `--model` in the text that names a template (not a checkpoint).
 */
export function mergeFlags(
  text: readonly FlagInput[],
  typed: readonly FlagInput[],
  namesTemplate: (value: string) => boolean,
): FlagInput[] {
  const keys = new Set(typed.map((f) => settingKey(f.name)));
  const templateTyped =
    keys.has('template') ||
    typed.some((f) => settingKey(f.name) === 'model' && namesTemplate(String(f.value)));
  const kept = text.filter((f) => {
    const key = settingKey(f.name);
    if (templateTyped && (key === 'template' || (key === 'model' && namesTemplate(String(f.value))))) {
      return false;
    }
    return !keys.has(key);
  });
  return [...kept, ...typed];
}

/**
 * The person's saved aspect and steps, for what the request leaves open and the template takes;
 * saved steps are brought within the template's range (a preference, not a demand).
 */
export function savedDefaults(
  settings: UserSettings | undefined,
  flags: readonly FlagInput[],
  template: WorkflowTemplate,
  limits: GrammarLimits,
): FlagInput[] {
  const set = new Set(flags.map((f) => settingKey(f.name)));
  const grammar = toGrammarTemplate(template);
  const out: FlagInput[] = [];
  if (settings?.aspect && !set.has('dimensions') && templateAccepts(grammar, 'ar')) {
    out.push({ name: 'ar', value: settings.aspect, label: 'aspect' });
  }
  if (settings?.steps && !set.has('steps') && templateAccepts(grammar, 'steps')) {
    const spec = Object.values(template.params).find((p) => flagKey(p.name) === 'steps');
    const max = Math.min(spec?.max ?? limits.maxSteps, limits.maxSteps);
    const steps = Math.max(spec?.min ?? 1, Math.min(settings.steps, max));
    out.push({ name: 'steps', value: steps, label: 'steps' });
  }
  return out;
}

/**
 * The model the person saved (`/settings model:`) for the template the request will run: the one a
 * flag names, else `fallback`. None when a flag already names a model file (typed wins).
 */
export function savedModel(
  settings: UserSettings | undefined,
  flags: readonly FlagInput[],
  fallback: string,
  templateNamed: (value: string) => string | undefined,
): FlagInput[] {
  if (!settings?.models) return [];
  let template = fallback;
  for (const f of flags) {
    const kind = standardFlag(f.name)?.kind;
    if (kind !== 'workflow' && kind !== 'model') continue;
    const named = templateNamed(String(f.value));
    if (!named) return [];
    template = named;
  }
  const file = settings.models[template];
  return file ? [{ name: 'model', value: file, label: 'model' }] : [];
}
