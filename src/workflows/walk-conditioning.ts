import { PROMPT_WIDGETS, textWidget } from './all-in-one.ts';
import { ARROW, type Binding, pushUnique, type Root, type WalkContext, warn } from './binding.ts';
import { conditioningSources } from './conditioning-sources.ts';
import { asLink, inputLabel, nodeLabel } from './graph.ts';
import { CONDITIONING_STOPS, TEXT_ENCODER_INPUTS } from './node-classes.ts';
import { pipeInputs } from './pipes.ts';
import type { Polarity } from './polarity.ts';
import { resolveWidget } from './resolve-widget.ts';
import type { ApiNode, InputRef } from './types.ts';

export interface TextFound {
  text: Binding[];
  guidance: Binding[];
}

/**
 * Follows a conditioning input (a sampler's or guider's positive/negative, or a pipe carrying them) back
 * through combine, area, ControlNet, InstantID, FluxGuidance… nodes to the text widgets of every encoder
 * that feeds it, or to the prompt widget of an all-in-one loader (Efficient Loader `positive`).
 */
export function walkConditioning(ctx: WalkContext, from: Root, polarity: Polarity): TextFound {
  const found: TextFound = { text: [], guidance: [] };
  visit(ctx, from, from.trail, polarity, new Set(), found);
  return found;
}

function visit(
  ctx: WalkContext,
  from: InputRef,
  trail: readonly string[],
  polarity: Polarity,
  seen: Set<string>,
  found: TextFound,
): void {
  const { graph } = ctx;
  const link = asLink(graph[from.node]?.inputs[from.input]);
  if (!link) return;
  const here = [...trail, inputLabel(graph, from.node, from.input)];
  const key = `${link.node}:${link.output}:${polarity}`;
  const source = graph[link.node];
  if (!source || seen.has(key)) return;
  seen.add(key);
  if (CONDITIONING_STOPS.has(source.class_type)) return;
  if (typeof source.inputs['guidance'] === 'number') {
    found.guidance.push({
      node: link.node,
      input: 'guidance',
      via: [...here, `${nodeLabel(graph, link.node)}.guidance`].join(ARROW),
    });
  }
  const texts = textInputs(source);
  if (texts.length > 0) {
    for (const name of texts) {
      const b = resolveWidget(ctx, link.node, name, here, 'string');
      if (b) pushUnique(found.text, [b]);
    }
    return;
  }
  const viaPipe = pipeInputs(ctx, from.node).includes(from.input);
  const sources = conditioningSources(ctx, link.node, link.output, polarity, viaPipe);
  const what = polarity === 'positive' ? 'prompt' : 'negative prompt';
  if (sources.kind === 'refused') {
    warn(
      ctx.log,
      `${here.join(ARROW)} comes from ${nodeLabel(graph, link.node)}, but ${sources.reason}; the ${what} is not bound along this path`,
    );
    return;
  }
  if (sources.kind === 'none') {
    const widget = textWidget(ctx, link.node, PROMPT_WIDGETS[polarity]);
    const b = widget ? resolveWidget(ctx, link.node, widget, here, 'string') : undefined;
    if (b) pushUnique(found.text, [b]);
    else if (!widget) {
      warn(
        ctx.log,
        `${here.join(ARROW)} ends at ${nodeLabel(graph, link.node)}, which has no known text input`,
      );
    }
    return;
  }
  for (const input of sources.inputs) visit(ctx, { node: link.node, input }, here, polarity, seen, found);
}

function textInputs(node: ApiNode): string[] {
  const known = TEXT_ENCODER_INPUTS[node.class_type];
  if (known) return known.filter((name) => name in node.inputs);
  if (!/TextEncode/i.test(node.class_type)) return [];
  return Object.keys(node.inputs).filter((name) => /^(text(_[a-z])?|prompt|clip_[lg]|t5xxl)$/.test(name));
}
