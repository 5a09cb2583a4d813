import type { ApiWorkflow } from './types.ts';

/** A link in API format: `[sourceNodeId, outputIndex]`. */
export interface Link {
  node: string;
  output: number;
}

/** Reads an input value as a link, or undefined when it is a literal widget value. */
export function asLink(value: unknown): Link | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [node, output] = value as unknown[];
  if ((typeof node !== 'string' && typeof node !== 'number') || typeof output !== 'number') return undefined;
  return { node: String(node), output };
}

/** `KSampler#3`: how a node is named in explanations and messages. */
export function nodeLabel(graph: ApiWorkflow, id: string): string {
  return `${graph[id]?.class_type ?? '?'}#${id}`;
}

/** `KSampler#3.positive` */
export function inputLabel(graph: ApiWorkflow, id: string, input: string): string {
  return `${nodeLabel(graph, id)}.${input}`;
}

export function nodeIdsWithTitle(graph: ApiWorkflow, title: string): string[] {
  return Object.entries(graph)
    .filter(([, node]) => node._meta?.title === title)
    .map(([id]) => id);
}

export function cloneWorkflow(graph: ApiWorkflow): ApiWorkflow {
  return structuredClone(graph);
}

/** Names of the inputs of `id` that are links to existing nodes, in input order. */
export function linkedInputs(graph: ApiWorkflow, id: string): string[] {
  const inputs = graph[id]?.inputs ?? {};
  return Object.keys(inputs).filter((name) => {
    const link = asLink(inputs[name]);
    return link !== undefined && graph[link.node] !== undefined;
  });
}

/** Ids of the nodes whose outputs some other node uses. */
export function usedNodes(graph: ApiWorkflow): Set<string> {
  const used = new Set<string>();
  for (const node of Object.values(graph)) {
    for (const value of Object.values(node.inputs)) {
      const link = asLink(value);
      if (link) used.add(link.node);
    }
  }
  return used;
}

export const MAX_HOPS = 64;

export interface Followed {
  id: string;
  /** The output of `id` the link comes from. */
  output: number;
  trail: readonly string[];
}

/** The node linked into `node.input`, with the walked trail extended by that input. */
export function follow(
  graph: ApiWorkflow,
  node: string,
  input: string,
  trail: readonly string[] = [],
): Followed | undefined {
  const link = asLink(graph[node]?.inputs[input]);
  if (!link || !graph[link.node]) return undefined;
  return { id: link.node, output: link.output, trail: [...trail, inputLabel(graph, node, input)] };
}
