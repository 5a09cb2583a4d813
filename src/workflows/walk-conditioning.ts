import { ARROW, type Binding, pushUnique, type Root, type WalkLog } from './binding.ts';
import { asLink, inputLabel, nodeLabel } from './graph.ts';
import { CONDITIONING_STOPS, TEXT_ENCODER_INPUTS } from './node-classes.ts';
import { resolveWidget } from './resolve-widget.ts';
import type { ApiNode, ApiWorkflow, InputRef } from './types.ts';

export interface TextFound {
  text: Binding[];
  guidance: Binding[];
}

/**
 * Follows a conditioning input (a sampler's or guider's positive/negative) back through combine, area,
 * ControlNet, FluxGuidance… nodes to the text widgets of every encoder that feeds it.
 */
export function walkConditioning(graph: ApiWorkflow, from: Root, log: WalkLog): TextFound {
  const found: TextFound = { text: [], guidance: [] };
  visit(graph, from, from.trail, new Set(), found, log);
  return found;
}

function visit(
  graph: ApiWorkflow,
  from: InputRef,
  trail: readonly string[],
  seen: Set<string>,
  found: TextFound,
  log: WalkLog,
): void {
  const link = asLink(graph[from.node]?.inputs[from.input]);
  if (!link) return;
  const here = [...trail, inputLabel(graph, from.node, from.input)];
  const key = `${link.node}:${link.output}`;
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
      const b = resolveWidget(graph, link.node, name, here, 'string', log);
      if (b) pushUnique(found.text, [b]);
    }
    return;
  }
  const next = conditioningInputs(source, link.output);
  if (next.length === 0) {
    log.warnings.push(
      `${here.join(ARROW)} ends at ${nodeLabel(graph, link.node)}, which has no known text input`,
    );
  }
  for (const input of next) visit(graph, { node: link.node, input }, here, seen, found, log);
}

function textInputs(node: ApiNode): string[] {
  const known = TEXT_ENCODER_INPUTS[node.class_type];
  if (known) return known.filter((name) => name in node.inputs);
  if (!/TextEncode/i.test(node.class_type)) return [];
  return Object.keys(node.inputs).filter((name) => /^(text(_[a-z])?|prompt|clip_[lg]|t5xxl)$/.test(name));
}

/** Nodes with both positive and negative inputs emit them as outputs 0 and 1 (ControlNetApplyAdvanced…). */
function conditioningInputs(node: ApiNode, output: number): string[] {
  const linked = Object.keys(node.inputs).filter((name) => asLink(node.inputs[name]) !== undefined);
  if (linked.includes('positive') && linked.includes('negative')) {
    return output === 1 ? ['negative'] : output === 0 ? ['positive'] : [];
  }
  return linked.filter((name) => /conditioning|^cond|^positive$|^negative$/.test(name));
}
