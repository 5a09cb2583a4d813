import { err, ok, type Result } from '#shared/result.ts';
import { asLink } from './graph.ts';
import { formatPath } from './json-path.ts';
import type { ApiWorkflow } from './types.ts';

export interface GraphProblem {
  path: string;
  reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks parsed JSON is an API-format workflow whose links all point at existing nodes. */
export function toApiWorkflow(value: unknown): Result<ApiWorkflow, GraphProblem[]> {
  if (!isObject(value)) return err([{ path: '$', reason: 'expected an object of nodes (API format)' }]);
  if (Array.isArray(value['nodes']) && Array.isArray(value['links'])) {
    return err([{ path: '$', reason: 'this is the UI format; export it with "Save (API Format)"' }]);
  }
  const problems: GraphProblem[] = [];
  for (const [id, node] of Object.entries(value)) problems.push(...nodeProblems(id, node));
  if (Object.keys(value).length === 0) problems.push({ path: '$', reason: 'the workflow has no nodes' });
  if (problems.length > 0) return err(problems);
  const graph = value as ApiWorkflow;
  for (const [id, node] of Object.entries(graph)) {
    for (const [input, v] of Object.entries(node.inputs)) {
      const link = asLink(v);
      if (link && !graph[link.node]) {
        problems.push({
          path: formatPath([id, 'inputs', input]),
          reason: `links to node ${link.node}, which does not exist`,
        });
      }
    }
  }
  return problems.length > 0 ? err(problems) : ok(graph);
}

function nodeProblems(id: string, node: unknown): GraphProblem[] {
  if (!isObject(node)) return [{ path: formatPath([id]), reason: 'expected a node object' }];
  const problems: GraphProblem[] = [];
  if (typeof node['class_type'] !== 'string' || node['class_type'] === '') {
    problems.push({
      path: formatPath([id, 'class_type']),
      reason: 'expected the node class name (a string)',
    });
  }
  if (!isObject(node['inputs']))
    problems.push({ path: formatPath([id, 'inputs']), reason: 'expected an object' });
  const meta = node['_meta'];
  if (
    meta !== undefined &&
    (!isObject(meta) || (meta['title'] !== undefined && typeof meta['title'] !== 'string'))
  ) {
    problems.push({ path: formatPath([id, '_meta']), reason: 'expected {title: string}' });
  }
  return problems;
}
