import type { UserMessage } from '#shared/i18n.ts';
import { asLink } from '../../workflows/graph.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What ComfyUI would refuse only after a job was queued and dispatched, refused at submit instead: a node
 * that depends on its own output, directly or round a loop. Links to missing nodes and the node shapes
 * are the engine's check (`toApiWorkflow`); this walks the links iteratively, so no graph is too deep.
 */
export function findCycle(workflow: Record<string, unknown>): UserMessage | undefined {
  const edges = new Map<string, string[]>();
  for (const [id, node] of Object.entries(workflow)) {
    const inputs = isObject(node) && isObject(node['inputs']) ? node['inputs'] : {};
    const targets: string[] = [];
    for (const v of Object.values(inputs)) {
      const link = asLink(v);
      if (link && Object.hasOwn(workflow, link.node)) targets.push(link.node);
    }
    edges.set(id, targets);
  }
  // 1: on the current path, 2: done.
  const state = new Map<string, 1 | 2>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = edges.get(top.id) ?? [];
      if (top.next >= targets.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const target = targets[top.next++]!;
      const seen = state.get(target);
      if (seen === 1) return { code: 'http.workflow.cycle', params: { node: target } };
      if (seen === undefined) {
        state.set(target, 1);
        stack.push({ id: target, next: 0 });
      }
    }
  }
  return undefined;
}
