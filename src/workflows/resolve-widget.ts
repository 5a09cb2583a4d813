import { ARROW, type Binding, type WalkLog } from './binding.ts';
import { asLink, inputLabel, nodeLabel } from './graph.ts';
import { PRIMITIVE_NODES, PRIMITIVE_WIDGET_NAMES } from './node-classes.ts';
import type { ApiNode, ApiWorkflow } from './types.ts';

export type ValueType = 'string' | 'number';

/**
 * The widget that really holds the value of `node.input`: the input itself when it is a literal, or
 * the widget of the primitive node it is linked to (PrimitiveString, CR Prompt Text, a seed node…).
 */
export function resolveWidget(
  graph: ApiWorkflow,
  node: string,
  input: string,
  trail: readonly string[],
  type: ValueType,
  log: WalkLog,
): Binding | undefined {
  const value = graph[node]?.inputs[input];
  const path = [...trail, inputLabel(graph, node, input)];
  if (value === undefined) return undefined;
  const link = asLink(value);
  if (!link) return { node, input, via: path.join(ARROW) };
  const source = graph[link.node];
  const widget = source ? primitiveWidget(source, type) : undefined;
  if (!source || widget === undefined) {
    log.warnings.push(
      `${path.join(ARROW)} is linked to ${nodeLabel(graph, link.node)}, which is not a ${type} primitive; not bound`,
    );
    return undefined;
  }
  return { node: link.node, input: widget, via: [...path, inputLabel(graph, link.node, widget)].join(ARROW) };
}

/** A node counts as a primitive when it is a known one, or takes no links and has one widget of the type. */
function primitiveWidget(source: ApiNode, type: ValueType): string | undefined {
  const entries = Object.entries(source.inputs);
  const typed = entries.filter(([, v]) => typeof v === type).map(([k]) => k);
  if (PRIMITIVE_NODES.has(source.class_type)) {
    return PRIMITIVE_WIDGET_NAMES.find((name) => typed.includes(name)) ?? typed[0];
  }
  const takesLinks = entries.some(([, v]) => asLink(v) !== undefined);
  return !takesLinks && typed.length === 1 ? typed[0] : undefined;
}
