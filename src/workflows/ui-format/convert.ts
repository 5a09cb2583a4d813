import { err, ok, type Result } from '#shared/result.ts';
import type { ObjectInfo } from '../object-info.ts';
import type { ApiNode, ApiWorkflow } from '../types.ts';
import { flattenUiGraph } from './flatten.ts';
import { BYPASSED, MUTED, resolveOrigin, VIRTUAL_TYPES } from './origins.ts';
import type { FlatGraph, FlatNode } from './ui-graph.ts';
import { namedWidgetValues } from './widget-values.ts';

export interface Converted {
  graph: ApiWorkflow;
  warnings: string[];
}

const GROUP_NODE = /^workflow[>/]/;
/** Subgraph nodes are typed by their definition's UUID. */
const SUBGRAPH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Converts a UI-format workflow to the API format the server runs, as the frontend's "Save (API
 * Format)" does: editor-only nodes (Reroute, PrimitiveNode, Note, Get/Set) resolved away, muted nodes
 * dropped, bypassed nodes passed through by type, subgraphs flattened, widget values named by
 * /object_info. When some node cannot be converted, the one error message names each such node and why.
 */
export function convertUiWorkflow(
  value: { nodes: unknown[]; links: unknown[] } & Record<string, unknown>,
  objectInfo?: ObjectInfo,
): Result<Converted, string> {
  const flat = flattenUiGraph(value);
  const graph: ApiWorkflow = {};
  const warnings: string[] = [];
  const failures: string[] = [];
  const linkedNodes = nodesWithLinks(flat);
  for (const node of flat.nodes.values()) {
    const { type, mode } = node.node;
    if (VIRTUAL_TYPES.has(type) || mode === MUTED || mode === BYPASSED) continue;
    const label = `node ${node.key} "${type}"`;
    if (GROUP_NODE.test(type)) {
      failures.push(`${label} is a group node; convert it to nodes in ComfyUI first`);
      continue;
    }
    if (SUBGRAPH_ID.test(type)) {
      failures.push(`${label} is a subgraph whose definition is missing from the file`);
      continue;
    }
    const info = objectInfo?.[type];
    if (objectInfo && !info && !linkedNodes.has(node.key)) {
      warnings.push(`${label} is not in /object_info and has no links; left out as an editor-only node`);
      continue;
    }
    const named = namedWidgetValues(node, info);
    if (!named.ok) {
      const why =
        objectInfo && !info ? ' and its class is not in /object_info (custom node not installed there?)' : '';
      failures.push(`${label}: ${named.reason}${why}`);
      continue;
    }
    for (const w of named.warnings) warnings.push(`${label}: ${w}`);
    graph[node.key] = apiNode(flat, node, named.values, info?.display_name);
  }
  if (failures.length > 0) return err(failureMessage(failures, objectInfo !== undefined));
  if (Object.keys(graph).length === 0) return err('the workflow has no nodes the server would run');
  return ok({ graph, warnings });
}

function apiNode(
  flat: FlatGraph,
  node: FlatNode,
  widgets: Record<string, unknown>,
  displayName: string | undefined,
): ApiNode {
  const inputs: Record<string, unknown> = { ...widgets };
  for (const input of node.inputs) {
    if (input.link === undefined) continue;
    const origin = resolveOrigin(flat, input.link, input.type);
    if (origin.kind === 'link') inputs[input.name] = [origin.node, origin.slot];
    else if (origin.kind === 'value') inputs[input.name] = origin.value;
  }
  return {
    inputs,
    class_type: node.node.type,
    _meta: { title: node.node.title ?? displayName ?? node.node.type },
  };
}

const SHOWN_FAILURES = 5;

function failureMessage(failures: string[], hadObjectInfo: boolean): string {
  const shown = failures.slice(0, SHOWN_FAILURES).join('; ');
  const more =
    failures.length > SHOWN_FAILURES ? `; and ${failures.length - SHOWN_FAILURES} more node(s)` : '';
  const hint = hadObjectInfo
    ? 'export it with "Save (API Format)" instead'
    : 'widget values are named by a server\'s /object_info: convert the file once with "comfyrelay workflows convert <file> --backend URL" (or --object-info FILE), or export the workflow with "Save (API Format)"';
  return `cannot convert this UI-format workflow: ${shown}${more}; ${hint}`;
}

function nodesWithLinks(flat: FlatGraph): Set<string> {
  const out = new Set<string>();
  for (const link of flat.links.values()) {
    out.add(link.origin);
    out.add(link.target);
  }
  return out;
}
