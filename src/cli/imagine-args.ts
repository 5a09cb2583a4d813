import { parseArgs } from 'node:util';
import { DEFAULT_POLICY } from '../core/chat/community-policy.ts';
import type { Requester } from '../core/jobs/types.ts';
import type { GivenImage, ImagineRequest } from '../core/prompt/index.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { type ArgsError, COMMON_OPTIONS, type Options } from './args.ts';

export const IMAGINE_OPTIONS = {
  ...COMMON_OPTIONS,
  out: { type: 'string', short: 'o' },
  backend: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  image: { type: 'string' },
} as const satisfies Options;

export interface ImagineArgs {
  /** The prompt line with its grammar flags, as `/imagine` would receive it. */
  line: string;
  out?: string;
  backend?: string;
  config?: string;
  /** `--image FILE`: the input image of an image-to-image or upscale template. */
  image?: string;
  json: boolean;
  help: boolean;
  lang?: string;
}

/**
 * Our own options are taken out; everything else, in order, is the prompt line, so both
 * `imagine "a cat --steps 4"` and `imagine a cat --steps 4` work. The grammar judges the rest.
 */
export function parseImagineArgs(args: readonly string[]): Result<ImagineArgs, ArgsError> {
  const { tokens } = parseArgs({
    args: [...args],
    options: IMAGINE_OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const line: string[] = [];
  const own: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind === 'positional') line.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = (IMAGINE_OPTIONS as Options)[token.name];
    if (!spec) {
      line.push(token.inlineValue ? `${token.rawName}=${token.value ?? ''}` : token.rawName);
      continue;
    }
    if (spec.type === 'string' && typeof token.value !== 'string') {
      return err({ code: 'cli.args.value', params: { option: token.rawName } });
    }
    own[token.name] = token.value ?? true;
  }
  const str = (k: string) => (typeof own[k] === 'string' ? (own[k] as string) : undefined);
  return ok({
    line: line.join(' '),
    out: str('out'),
    backend: str('backend'),
    config: str('config'),
    image: str('image'),
    lang: str('lang'),
    json: own['json'] === true,
    help: own['help'] === true,
  });
}

/**
 * The pipeline's view of a command line: the prompt line is grammar text; the operator belongs to no
 * community and may use every template.
 */
export function imagineRequestOf(
  line: string,
  image: GivenImage | undefined,
  requester: Requester,
): ImagineRequest {
  return {
    text: line,
    ...(image ? { image } : {}),
    requester,
    place: { nsfwAllowed: true },
    policy: DEFAULT_POLICY,
  };
}
