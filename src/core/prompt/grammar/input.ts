/**
 * What stage 2 (`resolve.ts`) reads. Flags parsed from text carry strings; a front end's form (a slash
 * option, a JSON field, a CLI value) gives typed values that are read as they are, never turned back
 * into `--flag` text.
 */
export type FlagValue = string | number | boolean;

export interface FlagInput {
  /** A flag (`ar`, `steps`) or template parameter (`cfg_scale`) name, any case. */
  name: string;
  value: FlagValue;
  /** How errors name it; default `--<name>`. A typed option is named as its form names it (`steps`). */
  label?: string;
}

export interface PromptInput {
  prompt: string;
  flags: readonly FlagInput[];
}

export const labelOf = (flag: FlagInput): string => flag.label ?? `--${flag.name}`;

/** A value as text, for reading text syntax (`16:9`, `768x1024`) and for echoing in messages. */
export const textOf = (value: FlagValue): string => (typeof value === 'string' ? value : String(value));
