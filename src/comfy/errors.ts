/** Errors from the ComfyUI layer. Each has a stable `code`; none ever carries a credential. */
export class ComfyError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** ComfyUI answered with an unexpected HTTP status (a 500 from a crashing handler, a proxy's 502…). */
export class ComfyHttpError extends ComfyError {
  readonly status: number;
  readonly path: string;
  constructor(status: number, method: string, path: string, body: string) {
    const snippet = body.length > 300 ? `${body.slice(0, 300)}…` : body;
    super('COMFY_HTTP', `ComfyUI answered ${status} to ${method} ${path}${snippet ? `: ${snippet}` : ''}`);
    this.status = status;
    this.path = path;
  }
}

/** The backend could not be reached at all (refused, reset, timed out, DNS). */
export class ComfyUnreachableError extends ComfyError {
  constructor(backend: string, cause: unknown) {
    const reason =
      cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
    super('COMFY_UNREACHABLE', `ComfyUI at ${backend} is unreachable (${reason})`, { cause });
  }
}

/** One problem ComfyUI found while validating a prompt, in terms a person can act on. */
export interface ComfyValidationIssue {
  /** ComfyUI's error type: value_not_in_list, required_input_missing, invalid_prompt, missing_node_type… */
  type: string;
  nodeId?: string;
  nodeTitle?: string;
  classType?: string;
  input?: string;
  /** What is wrong, in ComfyUI's words, without its prefixes. */
  reason: string;
  /** For a combo value that is not allowed (a checkpoint that is not installed): what is installed. */
  allowed?: string[];
  /** For an unknown node type: the class a custom node must provide. */
  missingClass?: string;
}

/** ComfyUI rejected the prompt (HTTP 400). The message names the node, the input and why. */
export class ComfyValidationError extends ComfyError {
  readonly issues: ComfyValidationIssue[];
  readonly errorType: string;
  constructor(errorType: string, issues: ComfyValidationIssue[]) {
    super(
      'COMFY_VALIDATION',
      issues.map(formatIssue).join('\n') || `ComfyUI rejected the workflow (${errorType})`,
    );
    this.errorType = errorType;
    this.issues = issues;
  }
}

export function formatIssue(issue: ComfyValidationIssue): string {
  if (issue.missingClass) {
    const where = issue.nodeId
      ? ` (node #${issue.nodeId}${issue.nodeTitle ? ` "${issue.nodeTitle}"` : ''})`
      : '';
    return `Node type "${issue.missingClass}"${where} does not exist on this ComfyUI: the custom node that provides it is not installed.`;
  }
  const node = issue.nodeTitle
    ? `"${issue.nodeTitle}" (${issue.classType ?? '?'} #${issue.nodeId})`
    : `${issue.classType ?? 'node'} #${issue.nodeId ?? '?'}`;
  const input = issue.input ? `, input "${issue.input}"` : '';
  const allowed = issue.allowed?.length ? ` Installed: ${summarize(issue.allowed)}.` : '';
  return `${issue.nodeId ? node : 'Workflow'}${input}: ${issue.reason}.${allowed}`.replace(/\.\./g, '.');
}

function summarize(list: string[]): string {
  return list.length > 15 ? `${list.slice(0, 15).join(', ')} and ${list.length - 15} more` : list.join(', ');
}
