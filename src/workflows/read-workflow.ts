import { err, ok, type Result } from '#shared/result.ts';
import { type GraphProblem, toApiWorkflow } from './api-format.ts';
import { formatPath } from './json-path.ts';
import type { ObjectInfo } from './object-info.ts';
import type { ApiWorkflow } from './types.ts';
import { convertUiWorkflow } from './ui-format/convert.ts';
import { isUiWorkflow } from './ui-format/ui-graph.ts';

export interface ReadWorkflow {
  graph: ApiWorkflow;
  /** `ui` when the file was the editor's format and was converted. */
  format: 'api' | 'ui';
  /** What was skipped or assumed while reading, each naming the node or key and why. */
  warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a parsed workflow file as operators have them: an API-format export, the same wrapped as
 * `{"prompt": {...}}` (a /prompt request body or PNG metadata), or the UI format (converted with
 * /object_info). Keys of an API graph that are not nodes are skipped with a warning.
 */
export function readWorkflow(value: unknown, objectInfo?: ObjectInfo): Result<ReadWorkflow, GraphProblem[]> {
  const unwrapped = unwrapPrompt(value);
  if (isUiWorkflow(unwrapped)) {
    const converted = convertUiWorkflow(unwrapped as Record<string, unknown> & typeof unwrapped, objectInfo);
    if (!converted.ok) return err([{ path: '$.nodes', reason: converted.error }]);
    const checked = toApiWorkflow(converted.value.graph);
    if (!checked.ok) return checked;
    return ok({ graph: checked.value, format: 'ui', warnings: converted.value.warnings });
  }
  if (!isObject(unwrapped)) return err([{ path: '$', reason: 'expected an object of nodes (API format)' }]);
  const warnings: string[] = [];
  const nodes: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(unwrapped)) {
    if (isObject(node) && ('class_type' in node || 'inputs' in node)) nodes[key] = node;
    else warnings.push(`${formatPath([key])} is not a node (no class_type); skipped`);
  }
  const checked = toApiWorkflow(nodes);
  if (!checked.ok) return checked;
  return ok({ graph: checked.value, format: 'api', warnings });
}

/** `{"prompt": {...}, "client_id": …}` → the prompt; anything else unchanged. */
function unwrapPrompt(value: unknown): unknown {
  if (!isObject(value) || !isObject(value['prompt'])) return value;
  const prompt = value['prompt'];
  const isNodeMap = Object.values(prompt).some((n) => isObject(n) && typeof n['class_type'] === 'string');
  return isNodeMap ? prompt : value;
}
