import { err, ok, type Result } from '#shared/result.ts';
import type { GraphProblem } from './api-format.ts';
import { nodeIdsWithTitle } from './graph.ts';
import { formatPath } from './json-path.ts';
import type { ManifestModelSlot } from './manifest.ts';
import { findModelSlots, LOADER_INPUTS } from './model-slots.ts';
import type { ApiWorkflow, InputRef, ModelFamily, ModelSlot, ParamSpec } from './types.ts';

export interface SlotSource {
  graph: ApiWorkflow;
  family: ModelFamily;
  /** Where discovery found the first passes' model: that loader is the main slot. */
  main: readonly InputRef[];
  params: Readonly<Record<string, ParamSpec>>;
  declared: Readonly<Record<string, ManifestModelSlot>>;
}

/**
 * The template's model slots: the loaders found in the graph, then the manifest's `models:` (overriding
 * a found slot's family or default, or declaring one by node or title). A parameter that writes the same
 * input (the shipped manifests' operator-only `checkpoint`) gives the slot its default.
 */
export function templateSlots(source: SlotSource): Result<ModelSlot[], GraphProblem[]> {
  const { graph, family } = source;
  let slots = findModelSlots(graph, family, source.main);
  for (const slot of slots) {
    const param = Object.values(source.params).find((p) =>
      p.targets.some((t) => t.node === slot.node && t.input === slot.input),
    );
    if (typeof param?.default === 'string') slot.default = param.default;
  }
  const problems: GraphProblem[] = [];
  for (const [name, declared] of Object.entries(source.declared)) {
    const at = (key: string) => formatPath(['models', name, key]);
    let slot = slots.find((s) => s.name === name);
    if (declared.node !== undefined || declared.title !== undefined) {
      const placed = place(graph, declared);
      if (!placed.ok) {
        problems.push({ path: at(declared.node !== undefined ? 'node' : 'title'), reason: placed.error });
        continue;
      }
      const { node, input, loader, value } = placed.value;
      const kind = declared.kind ?? placed.value.kind;
      if (!kind) {
        problems.push({ path: at('kind'), reason: `${loader} is not a known loader: give kind` });
        continue;
      }
      // The declared place wins over a found slot of that name elsewhere.
      slots = slots.filter((s) => s.name !== name || (s.node === node && s.input === input));
      slot = slots.find((s) => s.node === node && s.input === input);
      if (slot) Object.assign(slot, { name, kind });
      else {
        slot = { name, kind, node, input, loader, default: value, family };
        slots.push(slot);
      }
    } else if (!slot) {
      const known = slots.map((s) => s.name).join(', ') || 'none';
      problems.push({
        path: at('node'),
        reason: `no model slot "${name}" was found (found: ${known}); give node or title`,
      });
      continue;
    }
    if (declared.kind) slot.kind = declared.kind;
    if (declared.family) slot.family = declared.family;
    if (declared.default) slot.default = declared.default;
  }
  return problems.length > 0 ? err(problems) : ok(slots);
}

interface Placed {
  node: string;
  input: string;
  loader: string;
  kind?: ModelSlot['kind'];
  value: string;
}

function place(graph: ApiWorkflow, declared: ManifestModelSlot): Result<Placed, string> {
  const ids = declared.node !== undefined ? [declared.node] : nodeIdsWithTitle(graph, declared.title ?? '');
  const node = ids[0];
  if (node === undefined || !graph[node]) {
    return err(
      declared.node !== undefined
        ? `node ${declared.node} does not exist`
        : `no node titled "${declared.title}"`,
    );
  }
  const { class_type: loader, inputs } = graph[node];
  const known = LOADER_INPUTS[loader] ?? [];
  const input = declared.input ?? known[0]?.input;
  if (input === undefined) return err(`${loader}#${node} is not a known loader: give input`);
  const value = inputs[input];
  if (typeof value !== 'string') return err(`${loader}#${node}.${input} does not hold a file name`);
  const kind = known.find((k) => k.input === input)?.kind;
  return ok({ node, input, loader, value, ...(kind ? { kind } : {}) });
}
