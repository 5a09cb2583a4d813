/**
 * ComfyUI's WebSocket messages, parsed leniently: the server's own frontend schema is stricter than what
 * the server sends (an `executing` replay on reconnect has no prompt_id), and custom nodes add types.
 */

/** A file a node produced, as listed in `executed.output` and in history. */
export interface ComfyFileRef {
  filename: string;
  subfolder: string;
  type: string;
}

/** A node's UI output: `images`, `gifs`, `audio`, `video`, `text`, `animated`, or anything a custom node adds. */
export type ComfyNodeUi = Record<string, unknown>;

export type ComfyMessage =
  | { type: 'status'; queueRemaining: number; sid?: string }
  | { type: 'feature_flags'; flags: Record<string, unknown> }
  | { type: 'execution_start'; promptId: string }
  | { type: 'execution_cached'; promptId: string; nodes: string[] }
  | { type: 'executing'; promptId?: string; node: string | null; displayNode?: string }
  | { type: 'progress'; promptId?: string; node?: string; value: number; max: number }
  | { type: 'executed'; promptId: string; node: string; output: ComfyNodeUi | null }
  | { type: 'execution_success'; promptId: string }
  | { type: 'execution_error'; promptId: string; error: ComfyExecutionErrorInfo }
  | { type: 'execution_interrupted'; promptId: string; node?: string; nodeType?: string }
  | { type: 'preview'; promptId?: string; node?: string; mime: string; data: Uint8Array }
  | { type: 'text'; node: string; text: string }
  | { type: 'other'; rawType: string };

export interface ComfyExecutionErrorInfo {
  node?: string;
  nodeType?: string;
  exceptionType: string;
  message: string;
  /** The last lines of the Python traceback, enough to recognise the failure. */
  traceback: string[];
  /** An `ExecutionBlocked` message does not stop the run; a real error does. */
  blocking: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, fallback = 0): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

export function parseExecutionError(d: Record<string, unknown>): ComfyExecutionErrorInfo {
  const tb = Array.isArray(d.traceback) ? d.traceback.filter((l): l is string => typeof l === 'string') : [];
  const exceptionType = str(d.exception_type) ?? 'Error';
  return {
    node: str(d.node_id),
    nodeType: str(d.node_type),
    exceptionType,
    message: (str(d.exception_message) ?? '').trim(),
    traceback: tb.slice(-6).map((l) => l.trimEnd()),
    blocking: exceptionType !== 'ExecutionBlocked',
  };
}

/** Parses one text frame. Returns undefined for frames that are not JSON objects with a `type`. */
export function parseTextFrame(text: string): ComfyMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  const d = isObject(raw.data) ? raw.data : {};
  const promptId = str(d.prompt_id);
  switch (raw.type) {
    case 'status': {
      const status = isObject(d.status) ? d.status : {};
      const exec = isObject(status.exec_info) ? status.exec_info : {};
      return { type: 'status', queueRemaining: num(exec.queue_remaining), sid: str(d.sid) };
    }
    case 'feature_flags':
      return { type: 'feature_flags', flags: d };
    case 'execution_start':
      return promptId ? { type: 'execution_start', promptId } : undefined;
    case 'execution_cached':
      return promptId
        ? { type: 'execution_cached', promptId, nodes: Array.isArray(d.nodes) ? d.nodes.map(String) : [] }
        : undefined;
    case 'executing':
      return {
        type: 'executing',
        promptId,
        node: d.node === null || d.node === undefined ? null : String(d.node),
        displayNode: str(d.display_node),
      };
    case 'progress':
      return {
        type: 'progress',
        promptId,
        node: d.node === undefined || d.node === null ? undefined : String(d.node),
        value: num(d.value),
        max: num(d.max, 1),
      };
    case 'executed':
      if (!promptId || d.node === undefined) return undefined;
      return {
        type: 'executed',
        promptId,
        node: String(d.node),
        output: isObject(d.output) ? d.output : null,
      };
    case 'execution_success':
      return promptId ? { type: 'execution_success', promptId } : undefined;
    case 'execution_error':
      return promptId ? { type: 'execution_error', promptId, error: parseExecutionError(d) } : undefined;
    case 'execution_interrupted':
      return promptId
        ? { type: 'execution_interrupted', promptId, node: str(d.node_id), nodeType: str(d.node_type) }
        : undefined;
    default:
      return { type: 'other', rawType: raw.type };
  }
}

const BINARY_PREVIEW = 1;
const BINARY_TEXT = 3;
const BINARY_PREVIEW_WITH_METADATA = 4;
const IMAGE_FORMATS: Record<number, string> = { 1: 'image/jpeg', 2: 'image/png' };

/**
 * Decodes a binary frame. All integers are unsigned 32-bit big-endian. Unknown or truncated frames
 * return undefined rather than throwing: a bad frame must never take the socket down.
 */
export function parseBinaryFrame(buf: Uint8Array): ComfyMessage | undefined {
  if (buf.byteLength < 8) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const eventType = view.getUint32(0);
  if (eventType === BINARY_PREVIEW) {
    const format = view.getUint32(4);
    return { type: 'preview', mime: IMAGE_FORMATS[format] ?? 'image/jpeg', data: buf.subarray(8) };
  }
  if (eventType === BINARY_PREVIEW_WITH_METADATA) {
    const metaLength = view.getUint32(4);
    if (8 + metaLength > buf.byteLength) return undefined;
    let meta: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + metaLength)));
      if (isObject(parsed)) meta = parsed;
    } catch {
      return undefined;
    }
    return {
      type: 'preview',
      promptId: str(meta.prompt_id),
      node: str(meta.display_node_id) ?? str(meta.node_id),
      mime: str(meta.image_type) ?? 'image/jpeg',
      data: buf.subarray(8 + metaLength),
    };
  }
  if (eventType === BINARY_TEXT) {
    const nodeLength = view.getUint32(4);
    if (8 + nodeLength > buf.byteLength) return undefined;
    const decoder = new TextDecoder();
    return {
      type: 'text',
      node: decoder.decode(buf.subarray(8, 8 + nodeLength)),
      text: decoder.decode(buf.subarray(8 + nodeLength)),
    };
  }
  return undefined;
}
