import type { FlatGraph, FlatNode } from './ui-graph.ts';

/** Node types that exist only in the editor: never sent to the server. */
export const VIRTUAL_TYPES = new Set([
  'Reroute',
  'Reroute (rgthree)',
  'PrimitiveNode',
  'Note',
  'MarkdownNote',
  'GetNode',
  'SetNode',
]);

export const MUTED = 2;
export const BYPASSED = 4;

/** Where an input's value really comes from once editor-only and bypassed nodes are taken out. */
export type Origin =
  | { kind: 'link'; node: string; slot: number }
  | { kind: 'value'; value: unknown }
  | { kind: 'none' };

const MAX_HOPS = 256;

/**
 * Follows link `linkKey` (feeding an input of type `type`) through Reroutes, KJNodes Get/Set pairs and
 * bypassed nodes (whose input of the same type, same slot first, passes through, as the frontend does),
 * to a real node output or a PrimitiveNode's value. A muted source gives nothing.
 */
export function resolveOrigin(graph: FlatGraph, linkKey: string | undefined, type: unknown): Origin {
  let key = linkKey;
  for (let hops = 0; key !== undefined && hops < MAX_HOPS; hops++) {
    const link = graph.links.get(key);
    const source = link ? graph.nodes.get(link.origin) : undefined;
    if (!link || !source) return { kind: 'none' };
    const { node } = source;
    if (node.type === 'PrimitiveNode') return { kind: 'value', value: firstValue(source) };
    if (node.type === 'Reroute' || node.type === 'Reroute (rgthree)') key = source.inputs[0]?.link;
    else if (node.type === 'GetNode') key = setterInput(graph, firstValue(source));
    else if (node.type === 'SetNode') key = source.inputs[0]?.link;
    else if (node.mode === MUTED) return { kind: 'none' };
    else if (node.mode === BYPASSED) key = bypassedInput(source, link.originSlot, type);
    else return { kind: 'link', node: source.key, slot: link.originSlot };
  }
  return { kind: 'none' };
}

function firstValue(node: FlatNode): unknown {
  const values = node.node.widgets_values;
  return Array.isArray(values) ? values[0] : undefined;
}

/** The link into the SetNode that shares a GetNode's name (KJNodes). */
function setterInput(graph: FlatGraph, name: unknown): string | undefined {
  for (const n of graph.nodes.values()) {
    if (n.node.type === 'SetNode' && firstValue(n) === name) return n.inputs[0]?.link;
  }
  return undefined;
}

/** A bypassed node passes on its input of the wanted type: the one at the same slot first, then the first. */
function bypassedInput(node: FlatNode, slot: number, type: unknown): string | undefined {
  const order = [slot, ...node.inputs.keys()];
  const index = order.find((i) => node.inputs[i] !== undefined && node.inputs[i]!.type === type);
  return index === undefined ? undefined : node.inputs[index]!.link;
}
