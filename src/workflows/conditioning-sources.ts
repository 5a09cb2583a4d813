import { pipeInputs } from './pipes.ts';
import { infoOf, type WalkContext } from './binding.ts';
import { linkedInputs } from './graph.ts';
import { inputType, outputSlot } from './object-info.ts';
import { opposite, type Polarity, polarityOf } from './polarity.ts';

/** Which inputs of a node carry the conditioning that leaves it through one output. */
export type Sources =
  | { kind: 'inputs'; inputs: string[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'none' };

const CONDITIONING_NAME = /conditioning|^cond|positive|negative/i;

/**
 * Maps output `output` of node `id` back to its inputs by type and name: with /object_info, a
 * `positive`/`CONDITIONING+` output comes from the inputs on the same side and a neutral one from the
 * neutral conditioning inputs (so `ApplyInstantID`'s MODEL, positive, negative outputs are read right);
 * an output reached through a pipe is looked up by side in the pipe's inputs. Walking the `polarity`
 * side into an output of the other side is refused: the graph wires them crosswise. `viaPipe` says the
 * link was followed from a pipe input, which matters only when /object_info does not know the class.
 */
export function conditioningSources(
  ctx: WalkContext,
  id: string,
  output: number,
  polarity: Polarity,
  viaPipe: boolean,
): Sources {
  const info = infoOf(ctx, id);
  const out = outputSlot(info, output);
  const linked = linkedInputs(ctx.graph, id);
  const isConditioning = (name: string) => {
    const declared = inputType(info, name);
    return declared !== undefined ? declared === 'CONDITIONING' : CONDITIONING_NAME.test(name);
  };
  const conditioning = linked.filter(isConditioning);
  const sideOrPipe = () => {
    const sameSide = conditioning.filter((name) => polarityOf(name) === polarity);
    return pick(sameSide.length > 0 ? sameSide : pipeInputs(ctx, id));
  };
  if (!out) return viaPipe ? sideOrPipe() : offline(ctx, id, output, polarity, linked, conditioning);

  const outSide = polarityOf(out.name);
  if (outSide && outSide !== polarity) {
    return refused(`its output ${output} "${out.name}" carries the ${outSide} side`);
  }
  if (out.type !== 'CONDITIONING' && out.type !== '*') return sideOrPipe();
  if (outSide) {
    const sameSide = conditioning.filter((name) => polarityOf(name) === outSide);
    if (sameSide.length > 0) return pick(sameSide);
  }
  const byName = conditioning.filter((name) => name.toLowerCase() === out.name.toLowerCase());
  if (byName.length > 0) return pick(byName);
  const neutral = conditioning.filter((name) => polarityOf(name) === undefined);
  if (neutral.length > 0) return pick(neutral);
  if (conditioning.length > 1 && !outSide) {
    return refused(
      `its output ${output} "${out.name}" does not say which of ${conditioning.join(', ')} it carries`,
    );
  }
  return pick(conditioning.length > 0 ? conditioning : pipeInputs(ctx, id));
}

/** Without /object_info the stock layout is assumed: a node with both sides emits them as outputs 0 and 1. */
function offline(
  ctx: WalkContext,
  id: string,
  output: number,
  polarity: Polarity,
  linked: string[],
  conditioning: string[],
): Sources {
  if (linked.includes('positive') && linked.includes('negative')) {
    const assumed: Polarity | undefined = output === 0 ? 'positive' : output === 1 ? 'negative' : undefined;
    const unknown = ctx.objectInfo ? 'its class is not in /object_info' : 'no /object_info was given';
    if (!assumed) {
      return refused(`its output ${output} cannot be matched to its positive/negative inputs (${unknown})`);
    }
    if (assumed !== polarity) {
      return refused(
        `its output ${output} was taken to carry its ${assumed} input (outputs 0/1 assumed positive/negative: ${unknown})`,
      );
    }
    return pick([assumed]);
  }
  // Sided inputs (positive_1, negative_2…) pass on to the same side.
  const sameOrNeutral = conditioning.filter((name) => polarityOf(name) !== opposite(polarity));
  return pick(conditioning.length > 0 ? sameOrNeutral : pipeInputs(ctx, id));
}

function pick(inputs: string[]): Sources {
  return inputs.length > 0 ? { kind: 'inputs', inputs } : { kind: 'none' };
}

function refused(reason: string): Sources {
  return { kind: 'refused', reason };
}
