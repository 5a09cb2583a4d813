import { DISCOVERED_NAMES, discoverParameters } from './discover.ts';
import type { ObjectInfo } from './object-info.ts';
import type { ApiWorkflow, InputRef } from './types.ts';

/** The exact shape `comfyrelay workflows inspect <file> --json` prints. */
export interface InspectReport {
  parameters: Record<string, InputRef[]>;
  outputs: string[];
  warnings: string[];
}

/**
 * Every discovered name with where it lands (absent → `[]`); `guidance` only when the graph has one.
 * @example JSON.stringify(inspectWorkflow(graph)) // {"parameters":{"prompt":[{"node":"6","input":"text"}],…},…}
 */
export function inspectWorkflow(graph: ApiWorkflow, objectInfo?: ObjectInfo): InspectReport {
  const discovery = discoverParameters(graph, objectInfo);
  const parameters: Record<string, InputRef[]> = {};
  for (const name of DISCOVERED_NAMES) {
    const found = discovery.bindings[name];
    if (name === 'guidance' && found.length === 0) continue;
    parameters[name] = found.map(({ node, input }) => ({ node, input }));
  }
  return { parameters, outputs: discovery.outputs, warnings: discovery.warnings };
}

/** Human-readable "links walked" per binding, e.g. `KSampler#3.positive → CLIPTextEncode#6.text`. */
export function explainWorkflow(graph: ApiWorkflow, objectInfo?: ObjectInfo): Record<string, string[]> {
  const { bindings } = discoverParameters(graph, objectInfo);
  return Object.fromEntries(DISCOVERED_NAMES.map((name) => [name, bindings[name].map((b) => b.via)]));
}
