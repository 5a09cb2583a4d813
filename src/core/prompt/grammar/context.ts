import type { Locale } from '#shared/i18n.ts';
import type { ModelFamily, ParamSpec, WorkflowTemplate } from '../../../workflows/types.ts';

/** What the grammar needs to know about one template. */
export interface GrammarTemplate {
  name: string;
  /** Extra names `--model`/`--workflow` accept (operator-chosen). */
  aliases?: readonly string[];
  /** Tags also select a template (`--model sdxl` → the template tagged or of family `sdxl`). */
  tags?: readonly string[];
  family: ModelFamily;
  params: readonly ParamSpec[];
}

export interface GrammarLimits {
  /** In Unicode code points; applies to the prompt and to the negative prompt. */
  maxPromptLength: number;
  maxBatch: number;
  /** Operator cap on `--steps`, applied on top of the parameter's own max. */
  maxSteps: number;
  /** Largest width or height `--size`/`--ar`/`--width`/`--height` may produce. */
  maxSide: number;
}

export const DEFAULT_LIMITS: GrammarLimits = {
  maxPromptLength: 2000,
  maxBatch: 4,
  maxSteps: 150,
  maxSide: 4096,
};

export interface GrammarContext {
  /** In preference order: when a tag or family names several templates, the earlier one wins. */
  templates: readonly GrammarTemplate[];
  /** Used when neither `--model` nor `--workflow` names a template. */
  defaultTemplate: string;
  limits?: Partial<GrammarLimits>;
  /** Not needed to resolve (errors are `UserMessage`s the caller translates); kept for front ends. */
  locale?: Locale;
}

/** Adapts a loaded template to the grammar's view of it. */
export function toGrammarTemplate(t: WorkflowTemplate, aliases: readonly string[] = []): GrammarTemplate {
  return { name: t.name, aliases, tags: t.tags, family: t.family, params: Object.values(t.params) };
}
