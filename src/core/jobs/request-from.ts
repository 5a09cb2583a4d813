import type { ResolvedOptions } from '../prompt/grammar/index.ts';
import type { JobRequest } from './types.ts';

/** The job request a resolved prompt (the grammar's output) asks for. */
export function requestFrom(r: ResolvedOptions): JobRequest {
  return { template: r.template, prompt: r.prompt, negative: r.negative, values: r.values, seed: r.seed };
}
