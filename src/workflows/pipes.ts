import { infoOf, type WalkContext } from './binding.ts';
import { linkedInputs } from './graph.ts';
import { inputType } from './object-info.ts';

/** Input names of bundles, for when /object_info does not declare the type. */
const PIPE_NAME = /pipe|tuple|ctx|context/i;
const PIPE_TYPE = /PIPE|TUPLE|CONTEXT/;

/** Linked inputs that carry a bundle (BASIC_PIPE, PIPE_LINE, SDXL_TUPLE, rgthree context…). */
export function pipeInputs(ctx: WalkContext, id: string): string[] {
  const info = infoOf(ctx, id);
  return linkedInputs(ctx.graph, id).filter((name) => {
    const declared = inputType(info, name);
    return declared !== undefined ? PIPE_TYPE.test(declared) : PIPE_NAME.test(name);
  });
}
