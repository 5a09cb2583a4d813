import {
  ComfyError,
  ComfyHttpError,
  ComfyUnreachableError,
  type ComfyValidationIssue,
  ComfyValidationError,
} from '../errors.ts';
import { redact } from './errors.ts';

/** What both the SDK's `ComfyError` and the low layer's `ApiError` carry. */
export interface ServiceError {
  code: string;
  httpStatus: number;
  message: string;
  details: Record<string, unknown> | null;
  retryAfter?: number | null;
}

type Graph = Record<string, { class_type?: string; _meta?: { title?: string } }>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** An answer from the service (any HTTP status), as opposed to a failure to reach it. */
export function serviceError(error: unknown): ServiceError | undefined {
  if (!(error instanceof Error) || !isObject(error)) return undefined;
  const e = error as unknown as Partial<ServiceError>;
  if (typeof e.httpStatus !== 'number') return undefined;
  return {
    code: typeof e.code === 'string' ? e.code : 'error',
    httpStatus: e.httpStatus,
    message: error.message,
    details: isObject(e.details) ? e.details : null,
    retryAfter: typeof e.retryAfter === 'number' ? e.retryAfter : null,
  };
}

export const isNotFound = (error: unknown): boolean => serviceError(error)?.httpStatus === 404;

/** True when the connection was refused: the request cannot have reached the service. */
export function wasRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * Any failure of a call to the service as one of our ComfyErrors, with the key taken out of every
 * message (a misbehaving server could echo it back).
 */
export function toComfyError(
  error: unknown,
  backend: string,
  what: string,
  secret: string | undefined,
): ComfyError {
  if (error instanceof ComfyError) return error;
  const answered = serviceError(error);
  if (answered) {
    const body = redact(`${answered.code}: ${answered.message}`, secret);
    return new ComfyHttpError(answered.httpStatus, 'call', what, body);
  }
  const reason = redact(describe(error), secret);
  return new ComfyUnreachableError(backend, new Error(reason));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}

/**
 * A 4xx refusal of the workflow itself (`invalid_workflow`, `missing_asset`, `workflow_format_ui`) as a
 * ComfyValidationError naming the nodes, like ComfyUI's own 400 is reported.
 */
export function toValidationError(e: ServiceError, graph: Graph, secret?: string): ComfyValidationError {
  const issues: ComfyValidationIssue[] = [];
  const nodeErrors = isObject(e.details?.node_errors) ? e.details.node_errors : {};
  for (const [nodeId, entries] of Object.entries(nodeErrors)) {
    for (const entry of Array.isArray(entries) ? entries : [entries]) {
      if (!isObject(entry)) continue;
      const reason = [entry.message, entry.reason].find((v) => typeof v === 'string') as string | undefined;
      issues.push({
        type: typeof entry.reason === 'string' ? entry.reason : e.code,
        nodeId,
        classType: graph[nodeId]?.class_type,
        nodeTitle: graph[nodeId]?._meta?.title,
        input: typeof entry.field === 'string' ? entry.field : undefined,
        reason: redact(reason ?? e.message, secret),
      });
    }
  }
  if (issues.length === 0) issues.push({ type: e.code, reason: redact(e.message, secret) });
  return new ComfyValidationError(e.code, issues);
}
