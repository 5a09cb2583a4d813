import { t } from '../../i18n/catalogs.ts';
import type { Locale } from '#shared/i18n.ts';
import { COMMON_ASPECTS } from '../../../workflows/aspect.ts';
import type { ParamSpec } from '../../../workflows/types.ts';
import { DEFAULT_LIMITS, type GrammarLimits, type GrammarTemplate } from './context.ts';
import { MAX_SEED, STANDARD_FLAGS, type StandardFlag } from './flags.ts';
import { genericParams, standardTargets } from './support.ts';

export type FlagValueKind = 'ratio' | 'size' | 'integer' | 'number' | 'text' | 'boolean' | 'choice' | 'image';

/** One flag as front ends present it: a Discord option, a line of Telegram or CLI help, a schema field. */
export interface FlagHelp {
  /** `--ar` */
  flag: string;
  /** `ar`: the option name on platforms without dashes. */
  name: string;
  /** `--aspect` */
  aliases: string[];
  kind: FlagValueKind;
  description: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** Typical values to offer (e.g. common aspect ratios), not a closed list. */
  examples?: readonly string[];
  /** The template parameters it writes. */
  params: string[];
}

export interface DescribeOptions {
  /** Names `--model`/`--workflow` accept; without them those two flags are left out. */
  templates?: readonly string[];
  limits?: Partial<GrammarLimits>;
}

/**
 * The flags a template with these parameters accepts from users, described in `locale`.
 * The same list drives Discord slash options, Telegram help, CLI help and the HTTP schema.
 */
export function describeFlags(
  params: readonly ParamSpec[],
  locale: Locale,
  options: DescribeOptions = {},
): FlagHelp[] {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const template: GrammarTemplate = { name: '', family: 'other', params };
  const out: FlagHelp[] = [];
  for (const f of STANDARD_FLAGS) {
    const targets = standardTargets(template, f);
    if (!targets || targets.some((p) => !p.userSettable)) continue;
    if ((f.kind === 'model' || f.kind === 'workflow') && !options.templates?.length) continue;
    out.push({
      flag: `--${f.name}`,
      name: f.name,
      aliases: f.aliases.map((a) => `--${a}`),
      description: t(locale, `grammar.help.${f.name}`),
      params: targets.map((p) => p.name),
      ...standardShape(f, targets, limits, options.templates ?? []),
    });
  }
  for (const p of genericParams(template)) {
    out.push({
      flag: `--${p.name}`,
      name: p.name,
      aliases: [],
      description: (locale === 'zh' ? p.description?.zh : undefined) ?? p.description?.en ?? p.name,
      params: [p.name],
      ...paramShape(p),
    });
  }
  return out;
}

type Shape = Pick<FlagHelp, 'kind' | 'min' | 'max' | 'choices' | 'examples'>;

function standardShape(
  f: StandardFlag,
  targets: ParamSpec[],
  limits: GrammarLimits,
  templates: readonly string[],
): Shape {
  const p = targets[0];
  switch (f.kind) {
    case 'aspect':
      return { kind: 'ratio', examples: COMMON_ASPECTS };
    case 'size':
      return { kind: 'size', examples: ['512x512', '768x1024', '1024x1024'] };
    case 'seed':
      return { kind: 'integer', min: -1, max: Math.min(p?.max ?? MAX_SEED, MAX_SEED) };
    case 'batch':
      return { kind: 'integer', min: 1, max: Math.min(limits.maxBatch, p?.max ?? limits.maxBatch) };
    case 'int':
    case 'float': {
      const cap = f.name === 'steps' ? limits.maxSteps : Number.POSITIVE_INFINITY;
      const max = Math.min(p?.max ?? f.fallback?.max ?? cap, cap);
      return { kind: f.kind === 'int' ? 'integer' : 'number', min: p?.min ?? f.fallback?.min, max };
    }
    case 'choice':
      return { kind: 'choice', choices: p?.choices };
    case 'model':
      return { kind: 'choice', choices: [...templates, ...(p?.choices ?? [])] };
    case 'workflow':
      return { kind: 'choice', choices: templates };
    default:
      return { kind: 'text' };
  }
}

function paramShape(p: ParamSpec): Shape {
  switch (p.kind) {
    case 'int':
      return { kind: 'integer', min: p.min, max: p.max };
    case 'float':
      return { kind: 'number', min: p.min, max: p.max };
    case 'choice':
      return { kind: 'choice', choices: p.choices };
    default:
      return { kind: p.kind };
  }
}
