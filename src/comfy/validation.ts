import { type ComfyValidationIssue, ComfyValidationError } from './errors.ts';

type Graph = Record<string, { class_type?: string; _meta?: { title?: string } }>;
type ObjectInfo = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Turns ComfyUI's 400 body into a ComfyValidationError. The top-level `details` is often empty when the
 * failing node is upstream of the output, so the per-node `node_errors` are what we report.
 */
export function toValidationError(
  body: unknown,
  graph: Graph,
  objectInfo?: ObjectInfo,
): ComfyValidationError {
  const root = isObject(body) ? body : {};
  const error = isObject(root.error) ? root.error : {};
  const errorType = typeof error.type === 'string' ? error.type : 'unknown';
  const issues: ComfyValidationIssue[] = [];
  const nodeErrors = isObject(root.node_errors) ? root.node_errors : {};
  for (const [nodeId, entry] of Object.entries(nodeErrors)) {
    if (!isObject(entry) || !Array.isArray(entry.errors)) continue;
    for (const e of entry.errors) {
      if (isObject(e)) issues.push(nodeIssue(nodeId, entry, e, graph, objectInfo));
    }
  }
  if (issues.length === 0) issues.push(topLevelIssue(errorType, error, graph));
  return new ComfyValidationError(errorType, issues);
}

function nodeIssue(
  nodeId: string,
  entry: Record<string, unknown>,
  e: Record<string, unknown>,
  graph: Graph,
  objectInfo?: ObjectInfo,
): ComfyValidationIssue {
  const extra = isObject(e.extra_info) ? e.extra_info : {};
  const classType = typeof entry.class_type === 'string' ? entry.class_type : graph[nodeId]?.class_type;
  const input = typeof extra.input_name === 'string' ? extra.input_name : undefined;
  const type = typeof e.type === 'string' ? e.type : 'unknown';
  const message = typeof e.message === 'string' ? e.message : type;
  const details = typeof e.details === 'string' ? e.details : '';
  const issue: ComfyValidationIssue = {
    type,
    nodeId,
    nodeTitle: graph[nodeId]?._meta?.title,
    classType,
    input,
    reason: details && details !== input ? `${message}: ${details}` : message,
  };
  if (type === 'exception_during_inner_validation' && extra.exception_type === 'KeyError') {
    issue.reason = `links to node ${details.replace(/'/g, '')}, which is not in the workflow`;
  } else if (type === 'exception_during_inner_validation' && extra.exception_type === 'IndexError') {
    issue.reason = 'links to an output slot that the linked node does not have';
  }
  if (type === 'value_not_in_list') {
    const received = extra.received_value;
    issue.reason = `"${String(received)}" is not one of the allowed values`;
    issue.allowed = comboOptions(extra.input_config) ?? optionsFromObjectInfo(objectInfo, classType, input);
  }
  return issue;
}

function topLevelIssue(
  errorType: string,
  error: Record<string, unknown>,
  graph: Graph,
): ComfyValidationIssue {
  const message = typeof error.message === 'string' ? error.message : errorType;
  const details = typeof error.details === 'string' ? error.details : '';
  const extra = isObject(error.extra_info) ? error.extra_info : {};
  if (errorType === 'invalid_prompt' || errorType === 'missing_node_type') {
    const nodeId =
      typeof extra.node_id === 'string' ? extra.node_id : /#([^'"]+)'?/.exec(details)?.[1]?.replace(/'$/, '');
    const fromMessage = /node (\S+) does not exist/.exec(message)?.[1];
    const missingClass =
      (typeof extra.class_type === 'string' ? extra.class_type : undefined) ??
      fromMessage ??
      (nodeId ? graph[nodeId]?.class_type : undefined);
    if (missingClass && !/class_type property/.test(message)) {
      return {
        type: errorType,
        nodeId,
        nodeTitle: nodeId ? graph[nodeId]?._meta?.title : undefined,
        missingClass,
        reason: message,
      };
    }
  }
  return { type: errorType, reason: details ? `${message} ${details}` : message };
}

function comboOptions(inputConfig: unknown): string[] | undefined {
  if (!Array.isArray(inputConfig)) return undefined;
  const [type, options] = inputConfig;
  if (Array.isArray(type)) return type.map(String);
  if (type === 'COMBO' && isObject(options) && Array.isArray(options.options))
    return options.options.map(String);
  return undefined;
}

function optionsFromObjectInfo(info: ObjectInfo | undefined, classType?: string, input?: string) {
  if (!info || !classType || !input) return undefined;
  const node = info[classType];
  if (!isObject(node) || !isObject(node.input)) return undefined;
  for (const section of ['required', 'optional'] as const) {
    const inputs = node.input[section];
    if (isObject(inputs) && input in inputs) return comboOptions(inputs[input]);
  }
  return undefined;
}
