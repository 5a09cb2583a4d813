/**
 * The UI format, what ComfyUI's plain "Save" writes: `nodes` with `widgets_values`, and `links` as
 * `[id, origin_id, origin_slot, target_id, target_slot, type]` (or objects, in subgraph definitions).
 * It is read into a flat graph whose node and link keys are strings, so subgraph nodes can be named
 * `outer:inner` like the frontend's API export names them.
 */

export interface UiSlot {
  name: string;
  type?: unknown;
  link?: number | null;
  links?: number[] | null;
  widget?: { name: string };
}

export interface UiNode {
  id: number | string;
  type: string;
  title?: string;
  /** 0 always, 2 muted ("never"), 4 bypassed. */
  mode?: number;
  inputs?: UiSlot[];
  outputs?: UiSlot[];
  widgets_values?: unknown[] | Record<string, unknown>;
}

export interface FlatInput {
  name: string;
  type: unknown;
  link?: string;
  widget?: string;
}

export interface FlatNode {
  key: string;
  node: UiNode;
  inputs: FlatInput[];
}

export interface FlatLink {
  origin: string;
  originSlot: number;
  target: string;
  targetSlot: number;
}

export interface FlatGraph {
  nodes: Map<string, FlatNode>;
  links: Map<string, FlatLink>;
}

export interface UiSubgraph {
  id: string;
  name?: string;
  nodes: UiNode[];
  links: unknown[];
  inputs?: { name: string; linkIds?: number[] }[];
  outputs?: { name: string; linkIds?: number[] }[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A saved UI workflow: an object with `nodes` and `links` arrays. */
export function isUiWorkflow(value: unknown): value is { nodes: unknown[]; links: unknown[] } {
  return isObject(value) && Array.isArray(value['nodes']) && Array.isArray(value['links']);
}

export function isUiNode(value: unknown): value is UiNode {
  return (
    isObject(value) &&
    (typeof value['id'] === 'number' || typeof value['id'] === 'string') &&
    typeof value['type'] === 'string'
  );
}

/** Subgraph definitions by id (frontend ≥ 1.24 stores them under `definitions.subgraphs`). */
export function subgraphDefinitions(value: Record<string, unknown>): Map<string, UiSubgraph> {
  const defs = isObject(value['definitions']) ? value['definitions']['subgraphs'] : undefined;
  const out = new Map<string, UiSubgraph>();
  for (const def of Array.isArray(defs) ? defs : []) {
    if (isObject(def) && typeof def['id'] === 'string' && Array.isArray(def['nodes'])) {
      out.set(def['id'], def as unknown as UiSubgraph);
    }
  }
  return out;
}

/** A link in either form, or undefined when it is neither. */
export function readLink(raw: unknown): (FlatLink & { id: number }) | undefined {
  if (Array.isArray(raw) && raw.length >= 5) {
    const [id, origin, originSlot, target, targetSlot] = raw as unknown[];
    return linkOf(id, origin, originSlot, target, targetSlot);
  }
  if (!isObject(raw)) return undefined;
  return linkOf(raw['id'], raw['origin_id'], raw['origin_slot'], raw['target_id'], raw['target_slot']);
}

function linkOf(
  id: unknown,
  origin: unknown,
  originSlot: unknown,
  target: unknown,
  targetSlot: unknown,
): (FlatLink & { id: number }) | undefined {
  if (typeof id !== 'number' || typeof originSlot !== 'number' || typeof targetSlot !== 'number') {
    return undefined;
  }
  if (origin === undefined || origin === null || target === undefined || target === null) return undefined;
  return { id, origin: String(origin), originSlot, target: String(target), targetSlot };
}

/** A node of the flat graph: its inputs with link ids turned into keys under `prefix`. */
export function flatNode(node: UiNode, key: string, linkKey: (id: number) => string): FlatNode {
  const inputs = (node.inputs ?? []).map(
    (slot): FlatInput => ({
      name: slot.name,
      type: slot.type,
      ...(typeof slot.link === 'number' ? { link: linkKey(slot.link) } : {}),
      ...(slot.widget?.name ? { widget: slot.widget.name } : {}),
    }),
  );
  return { key, node, inputs };
}
