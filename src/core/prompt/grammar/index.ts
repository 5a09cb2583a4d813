/**
 * The one prompt grammar every front end uses:
 * `parsePrompt(raw)` (stage 1, template-agnostic) → `resolveOptions(parsed, ctx)` (stage 2, checked values),
 * and `describeFlags(params, locale)` for help and slash-command options.
 */
export {
  type GrammarContext,
  type GrammarLimits,
  type GrammarTemplate,
  DEFAULT_LIMITS,
  toGrammarTemplate,
} from './context.ts';
export { describeFlags, type DescribeOptions, type FlagHelp, type FlagValueKind } from './describe.ts';
export { flagKey, STANDARD_FLAGS, type StandardFlag, standardFlag, MAX_SEED } from './flags.ts';
export { type FlagInput, type FlagValue, type PromptInput, labelOf } from './input.ts';
export { GrammarCode } from './messages.ts';
export { parsePrompt, type ParsedFlag, type ParsedPrompt } from './parse.ts';
export { resolveOptions, type ResolvedOptions } from './resolve.ts';
export { templateAccepts } from './support.ts';
export { findTemplate } from './template.ts';
