import type { NodeInfo, ObjectInfo } from './object-info.ts';
import type { ApiWorkflow, InputRef } from './types.ts';

/** Where a discovered parameter lands, and the links walked to get there (for `inspect`). */
export interface Binding extends InputRef {
  via: string;
}

/** Where a walk starts: an input, and the links already walked to reach it. */
export interface Root extends InputRef {
  trail: readonly string[];
}

/** Shared state of one discovery walk: what was found and what went wrong. */
export interface WalkLog {
  warnings: string[];
}

/** What every walker reads: the graph, the backend's node catalogue when known, and the log. */
export interface WalkContext {
  graph: ApiWorkflow;
  objectInfo?: ObjectInfo;
  log: WalkLog;
}

export const ARROW = ' → ';

export function pushUnique(into: Binding[], items: readonly Binding[]): void {
  for (const item of items) {
    if (!into.some((b) => b.node === item.node && b.input === item.input)) into.push(item);
  }
}

/** Several passes can walk the same links; each problem is reported once. */
export function warn(log: WalkLog, message: string): void {
  if (!log.warnings.includes(message)) log.warnings.push(message);
}

/** The /object_info entry of a node's class, when the catalogue has it. */
export function infoOf(ctx: WalkContext, id: string): NodeInfo | undefined {
  const classType = ctx.graph[id]?.class_type;
  return classType === undefined ? undefined : ctx.objectInfo?.[classType];
}
