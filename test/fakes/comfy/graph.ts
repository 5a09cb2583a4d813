// Execution order and cache keys as comfy_execution/graph.py and caching.py compute them.
import { createHash } from 'node:crypto';
import type { Catalog, JsonValue, PromptGraph } from './types.ts';

export type Link = [string, number];

export function isLink(v: JsonValue | undefined): v is Link {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';
}

export function isOutputNode(prompt: PromptGraph, catalog: Catalog, id: string): boolean {
  const cls = prompt[id]?.class_type;
  return cls !== undefined && catalog[cls]?.output_node === true;
}

/** TopologicalSort/ExecutionList: pending nodes in insertion order, picked with ux_friendly_pick_node. */
export class ExecutionList {
  private readonly pending = new Map<string, true>();
  private readonly blockCount = new Map<string, number>();
  private readonly blocking = new Map<string, Set<string>>();
  private readonly prompt: PromptGraph;
  private readonly catalog: Catalog;
  private readonly isCached: (id: string) => boolean;

  constructor(prompt: PromptGraph, catalog: Catalog, isCached: (id: string) => boolean) {
    this.prompt = prompt;
    this.catalog = catalog;
    this.isCached = isCached;
  }

  addNode(start: string): void {
    const stack = [start];
    const links: [string, string][] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.pending.has(id)) continue;
      this.pending.set(id, true);
      this.blockCount.set(id, 0);
      this.blocking.set(id, new Set());
      for (const value of Object.values(this.prompt[id]?.inputs ?? {})) {
        if (!isLink(value)) continue;
        if (!this.isCached(value[0])) stack.push(value[0]);
        links.push([value[0], id]);
      }
    }
    for (const [from, to] of links) {
      if (this.isCached(from)) continue;
      if (!this.pending.has(from)) this.addNode(from);
      const blocked = this.blocking.get(from) as Set<string>;
      if (!blocked.has(to)) {
        blocked.add(to);
        this.blockCount.set(to, (this.blockCount.get(to) ?? 0) + 1);
      }
    }
  }

  nodes(): string[] {
    return [...this.pending.keys()];
  }

  next(): string | undefined {
    const ready = [...this.pending.keys()].filter((id) => this.blockCount.get(id) === 0);
    if (ready.length === 0) return undefined;
    const out = (id: string) => isOutputNode(this.prompt, this.catalog, id);
    const blocked = (id: string) => [...(this.blocking.get(id) ?? [])];
    return (
      ready.find(out) ??
      ready.find((id) => blocked(id).some(out)) ??
      ready.find((id) => blocked(id).some((b) => blocked(b).some(out))) ??
      ready[0]
    );
  }

  complete(id: string): void {
    this.pending.delete(id);
    for (const to of this.blocking.get(id) ?? []) this.blockCount.set(to, (this.blockCount.get(to) ?? 1) - 1);
  }
}

function hiddenTakesUniqueId(catalog: Catalog, cls: string): boolean {
  const hidden = catalog[cls]?.input.hidden ?? {};
  return Object.values(hidden).some((v) => v === 'UNIQUE_ID' || (Array.isArray(v) && v[0] === 'UNIQUE_ID'));
}

/** CacheKeySetInputSignature: class, IS_CHANGED, inputs sorted by name, links replaced by the ancestor's key. */
export function nodeSignatures(
  prompt: PromptGraph,
  catalog: Catalog,
  isChanged: (id: string) => string,
): Map<string, string> {
  const memo = new Map<string, string>();
  const visiting = new Set<string>();
  const sig = (id: string): string => {
    const known = memo.get(id);
    if (known) return known;
    const node = prompt[id];
    if (!node || visiting.has(id)) return `nan:${Math.random()}`;
    visiting.add(id);
    const cls = node.class_type ?? '';
    const inputs = node.inputs ?? {};
    const parts: JsonValue[] = [cls, isChanged(id), hiddenTakesUniqueId(catalog, cls) ? id : null];
    for (const key of Object.keys(inputs).sort()) {
      const v = inputs[key] as JsonValue;
      parts.push(isLink(v) ? [key, 'ANCESTOR', sig(v[0]), v[1]] : [key, v]);
    }
    visiting.delete(id);
    const hash = createHash('sha1').update(JSON.stringify(parts)).digest('hex');
    memo.set(id, hash);
    return hash;
  };
  for (const id of Object.keys(prompt)) sig(id);
  return memo;
}
