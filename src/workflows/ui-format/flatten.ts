import {
  type FlatGraph,
  flatNode,
  isUiNode,
  readLink,
  subgraphDefinitions,
  type UiSubgraph,
} from './ui-graph.ts';
import { BYPASSED, MUTED } from './origins.ts';

/** Subgraph link ends: the subgraph's input node and its output node. */
const SUBGRAPH_INPUT = '-10';
const SUBGRAPH_OUTPUT = '-20';
const MAX_DEPTH = 16;

/**
 * Reads the top-level nodes and links, then replaces every subgraph node by the nodes inside it, named
 * `<outer id>:<inner id>` like the frontend's API export, with the links through its inputs and outputs
 * reconnected. A widget promoted onto the subgraph node becomes a value feeding the inner input.
 */
export function flattenUiGraph(
  value: { nodes: unknown[]; links: unknown[] } & Record<string, unknown>,
): FlatGraph {
  const graph: FlatGraph = { nodes: new Map(), links: new Map() };
  for (const node of value.nodes) {
    if (isUiNode(node)) graph.nodes.set(String(node.id), flatNode(node, String(node.id), String));
  }
  for (const raw of value.links) {
    const link = readLink(raw);
    if (link) graph.links.set(String(link.id), link);
  }
  const defs = subgraphDefinitions(value);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const instances = [...graph.nodes.values()].filter(
      (n) => defs.has(n.node.type) && n.node.mode !== MUTED && n.node.mode !== BYPASSED,
    );
    if (instances.length === 0) break;
    for (const instance of instances) expand(graph, instance.key, defs.get(instance.node.type)!);
  }
  return graph;
}

function expand(graph: FlatGraph, instanceKey: string, def: UiSubgraph): void {
  const key = (id: string) => `${instanceKey}:${id}`;
  const linkKey = (id: number) => `${instanceKey}:L${id}`;
  for (const node of def.nodes) {
    if (isUiNode(node)) graph.nodes.set(key(String(node.id)), flatNode(node, key(String(node.id)), linkKey));
  }
  const outputs = new Map<number, { origin: string; originSlot: number }>();
  for (const raw of def.links) {
    const link = readLink(raw);
    if (!link) continue;
    const source =
      link.origin === SUBGRAPH_INPUT
        ? outerSource(graph, instanceKey, def, boundarySlot(def.inputs, link.id, link.originSlot))
        : { origin: key(link.origin), originSlot: link.originSlot };
    if (!source) continue;
    if (link.target === SUBGRAPH_OUTPUT)
      outputs.set(boundarySlot(def.outputs, link.id, link.targetSlot), source);
    else
      graph.links.set(linkKey(link.id), { ...source, target: key(link.target), targetSlot: link.targetSlot });
  }
  for (const [id, link] of graph.links) {
    if (link.origin !== instanceKey) continue;
    const inner = outputs.get(link.originSlot);
    if (inner) graph.links.set(id, { ...link, ...inner });
    else graph.links.delete(id);
  }
  graph.nodes.delete(instanceKey);
}

/** The subgraph input or output a boundary link belongs to: the one listing it in `linkIds`, else its slot. */
function boundarySlot(slots: UiSubgraph['inputs'], linkId: number, slot: number): number {
  const index = (slots ?? []).findIndex((s) => s.linkIds?.includes(linkId));
  return index >= 0 ? index : slot;
}

/** What feeds input `slot` of a subgraph node: its outer link, or its promoted widget's value. */
function outerSource(
  graph: FlatGraph,
  instanceKey: string,
  def: UiSubgraph,
  slot: number,
): { origin: string; originSlot: number } | undefined {
  const instance = graph.nodes.get(instanceKey)!;
  const name = def.inputs?.[slot]?.name;
  const input = instance.inputs.find((i) => name !== undefined && i.name === name) ?? instance.inputs[slot];
  const outer = input?.link ? graph.links.get(input.link) : undefined;
  if (outer) return { origin: outer.origin, originSlot: outer.originSlot };
  const values = instance.node.widgets_values;
  if (!input?.widget || !Array.isArray(values)) return undefined;
  const index = instance.inputs.filter((i) => i.widget).indexOf(input);
  const valueKey = `${instanceKey}:in${slot}`;
  if (index < 0 || index >= values.length) return undefined;
  graph.nodes.set(valueKey, {
    key: valueKey,
    node: { id: valueKey, type: 'PrimitiveNode', widgets_values: [values[index]] },
    inputs: [],
  });
  return { origin: valueKey, originSlot: 0 };
}
