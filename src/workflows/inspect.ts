import { ok, type Result } from '#shared/result.ts';
import type { GraphProblem } from './api-format.ts';
import { DISCOVERED_NAMES, discoverParameters, type PassSummary } from './discover.ts';
import type { ObjectInfo } from './object-info.ts';
import { readWorkflow } from './read-workflow.ts';
import type { ApiWorkflow, InputRef } from './types.ts';

/** The exact shape `comfyrelay workflows inspect <file> --json` prints. */
export interface InspectReport {
  parameters: Record<string, InputRef[]>;
  outputs: string[];
  /** Every sampling pass, with the settings it keeps as exported (multi-pass policy). */
  passes: PassSummary[];
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
  return {
    parameters,
    outputs: discovery.outputs,
    passes: discovery.passes,
    warnings: discovery.warnings,
  };
}

/** Human-readable "links walked" per binding, e.g. `KSampler#3.positive → CLIPTextEncode#6.text`. */
export function explainWorkflow(graph: ApiWorkflow, objectInfo?: ObjectInfo): Record<string, string[]> {
  const { bindings } = discoverParameters(graph, objectInfo);
  return Object.fromEntries(DISCOVERED_NAMES.map((name) => [name, bindings[name].map((b) => b.via)]));
}

export interface InspectedFile {
  graph: ApiWorkflow;
  report: InspectReport;
  explained: Record<string, string[]>;
}

/** Reads a parsed file (API or UI format, see `readWorkflow`) and inspects it; reading warnings come first. */
export function inspectParsed(
  value: unknown,
  objectInfo?: ObjectInfo,
): Result<InspectedFile, GraphProblem[]> {
  const read = readWorkflow(value, objectInfo);
  if (!read.ok) return read;
  const { graph, warnings } = read.value;
  const report = inspectWorkflow(graph, objectInfo);
  report.warnings = [...warnings, ...report.warnings];
  return ok({ graph, report, explained: explainWorkflow(graph, objectInfo) });
}
