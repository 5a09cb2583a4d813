import { guessFileFamily } from './family.ts';
import type { ModelFamily } from './types.ts';

/**
 * The operator's word on installed models (the config's `models:` section): which files belong to which
 * family, which file each template's slot uses, and what people may choose. File names and patterns
 * compare case-insensitively; `*` matches any run of characters (`"*XL*"`, `"sdxl/*"`).
 */
export interface ModelMapping {
  /** Family → installed files (or patterns), in preference order: candidates for a missing default. */
  families?: Partial<Record<ModelFamily, readonly string[]>>;
  /** Template → slot (`checkpoint`, `vae`…) → the file to use instead of the workflow's. */
  defaults?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** What `--model` and LoRAs may name, per template and per community; no list: anything installed. */
  allow?: {
    templates?: Readonly<Record<string, readonly string[]>>;
    communities?: Readonly<Record<string, readonly string[]>>;
  };
  loras?: Partial<LoraLimits>;
}

export interface LoraLimits {
  /** How many LoRAs one request may apply. */
  maxCount: number;
  minStrength: number;
  maxStrength: number;
  /** The strength of `<lora:name>` and `--lora name` without one. */
  defaultStrength: number;
}

export const DEFAULT_LORA_LIMITS: LoraLimits = {
  maxCount: 3,
  minStrength: -2,
  maxStrength: 2,
  defaultStrength: 1,
};

/** Whether `file` matches a name or `*` pattern; a pattern without a folder also matches files in folders. */
export function matchesPattern(file: string, pattern: string): boolean {
  const f = file.toLowerCase().replaceAll('\\', '/');
  const p = pattern.toLowerCase().replaceAll('\\', '/');
  const re = new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(f) || (!p.includes('/') && re.test(f.slice(f.lastIndexOf('/') + 1)));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The family the operator put `file` in, else the one its name suggests. */
export function familyOfFile(file: string, mapping: ModelMapping | undefined): ModelFamily | undefined {
  for (const [family, patterns] of Object.entries(mapping?.families ?? {})) {
    if (patterns?.some((p) => matchesPattern(file, p))) return family as ModelFamily;
  }
  return guessFileFamily(file);
}

/** Where a choice is made: which template, and in which community (none outside one). */
export interface ChoicePlace {
  template: string;
  communityId?: string;
}

/** Whether people may choose `file` here: every allow-list that applies (template, community) names it. */
export function mayChoose(file: string, place: ChoicePlace, mapping: ModelMapping | undefined): boolean {
  const lists = [
    mapping?.allow?.templates?.[place.template],
    place.communityId === undefined ? undefined : mapping?.allow?.communities?.[place.communityId],
  ];
  return lists.every((list) => list === undefined || list.some((p) => matchesPattern(file, p)));
}

export function loraLimits(mapping: ModelMapping | undefined): LoraLimits {
  return { ...DEFAULT_LORA_LIMITS, ...mapping?.loras };
}
