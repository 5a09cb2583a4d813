/**
 * The standard flags every front end understands, as data. `resolve.ts` gives them meaning and
 * `describe.ts` turns them into help and slash-command options, so both read this one table.
 *
 * `params` lists the template parameter names a flag writes, by convention; the first one the chosen
 * template has wins (`--seed` writes `seed`, or `noise_seed` for SamplerCustomAdvanced-style graphs).
 */
export type StandardKind =
  | 'aspect'
  | 'size'
  | 'seed'
  | 'int'
  | 'float'
  | 'choice'
  | 'batch'
  | 'negative'
  | 'negative-append'
  | 'model'
  | 'lora'
  | 'workflow';

export interface StandardFlag {
  /** Canonical name, without dashes. */
  name: string;
  aliases: readonly string[];
  kind: StandardKind;
  params: readonly string[];
  /** Range used when the parameter itself declares none. */
  fallback?: { min: number; max: number };
}

export const WIDTH_PARAMS = ['width'] as const;
export const HEIGHT_PARAMS = ['height'] as const;
export const NEGATIVE_PARAMS = ['negative', 'negative_prompt'] as const;
export const CHECKPOINT_PARAMS = ['checkpoint', 'model', 'ckpt_name'] as const;
/** The positive prompt is the text before the flags, never a `--prompt` flag. */
export const RESERVED_PARAMS = new Set(['prompt', 'positive']);

/** Seeds are whole numbers 0..2^53-1 (what a JSON number holds exactly); -1 asks for a random one. */
export { MAX_SEED } from '../../../workflows/seed.ts';

export const STANDARD_FLAGS: readonly StandardFlag[] = [
  { name: 'ar', aliases: ['aspect'], kind: 'aspect', params: [] },
  { name: 'size', aliases: [], kind: 'size', params: [] },
  { name: 'seed', aliases: [], kind: 'seed', params: ['seed', 'noise_seed'] },
  { name: 'steps', aliases: [], kind: 'int', params: ['steps'], fallback: { min: 1, max: 150 } },
  { name: 'cfg', aliases: [], kind: 'float', params: ['cfg', 'cfg_scale'], fallback: { min: 0, max: 30 } },
  { name: 'denoise', aliases: [], kind: 'float', params: ['denoise'], fallback: { min: 0, max: 1 } },
  { name: 'n', aliases: ['batch'], kind: 'batch', params: ['batch', 'batch_size'] },
  { name: 'sampler', aliases: [], kind: 'choice', params: ['sampler', 'sampler_name'] },
  { name: 'scheduler', aliases: [], kind: 'choice', params: ['scheduler'] },
  { name: 'negative', aliases: [], kind: 'negative', params: NEGATIVE_PARAMS },
  { name: 'no', aliases: [], kind: 'negative-append', params: NEGATIVE_PARAMS },
  { name: 'model', aliases: [], kind: 'model', params: CHECKPOINT_PARAMS },
  { name: 'workflow', aliases: ['template'], kind: 'workflow', params: [] },
  // Read by the /imagine pipeline before the grammar (`lora-request.ts`); listed for "did you mean".
  { name: 'lora', aliases: [], kind: 'lora', params: [] },
];

/** Flag and parameter names compare case-insensitively, with `_` and `-` equal. */
export function flagKey(name: string): string {
  return name.toLowerCase().replaceAll('_', '-');
}

const BY_KEY = new Map<string, StandardFlag>();
for (const f of STANDARD_FLAGS) for (const n of [f.name, ...f.aliases]) BY_KEY.set(flagKey(n), f);

export function standardFlag(name: string): StandardFlag | undefined {
  return BY_KEY.get(flagKey(name));
}

/** Every standard spelling, for "did you mean" suggestions. */
export const STANDARD_SPELLINGS: readonly string[] = [...BY_KEY.keys()];
