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
