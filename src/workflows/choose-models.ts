import { installedForSlot } from './installed-models.ts';
import { type ModelMapping, matchesPattern } from './model-mapping.ts';
import type { ObjectInfo } from './object-info.ts';
import type { ModelSlot, WorkflowTemplate } from './types.ts';

/** A slot whose file is not installed anywhere, run with another of its family instead. */
export interface Substitution {
  template: string;
  slot: string;
  /** The file the template (or the operator's `models.defaults`) asks for. */
  missing: string;
  /** The installed file used instead. */
  using: string;
}

export interface SlotFiles {
  /** Slot name → file, for every slot of the template. */
  files: Record<string, string>;
  substitutions: Substitution[];
}

/**
 * The file each slot uses: the operator's default for the template (`models.defaults`) or the workflow's;
 * when that one is installed on none of the backends (`catalogs`, the healthy ones), the first installed
 * file of the slot's family (`models.families`), preferring one named like the missing file (`t5xxl_fp16`
 * for `t5xxl_fp8`); else it stays as it is and routing reports it missing. No catalogue known: as asked.
 */
export function chooseSlotFiles(
  template: WorkflowTemplate,
  catalogs: readonly ObjectInfo[],
  mapping: ModelMapping | undefined,
): SlotFiles {
  const out: SlotFiles = { files: {}, substitutions: [] };
  for (const slot of template.slots ?? []) {
    const wanted = mapping?.defaults?.[template.name]?.[slot.name] ?? slot.default;
    const installed = catalogs
      .map((c) => installedForSlot(c, slot))
      .filter((list): list is string[] => list !== undefined);
    const has = (file: string) => installed.some((list) => list.includes(file));
    if (installed.length === 0 || has(wanted)) {
      out.files[slot.name] = wanted;
      continue;
    }
    const using = [slot.default, ...familyCandidates(slot, installed, mapping)].find(has);
    if (using === undefined) out.files[slot.name] = wanted;
    else {
      out.files[slot.name] = using;
      out.substitutions.push({ template: template.name, slot: slot.name, missing: wanted, using });
    }
  }
  return out;
}

function familyCandidates(
  slot: ModelSlot,
  installed: readonly string[][],
  mapping: ModelMapping | undefined,
): string[] {
  const patterns = mapping?.families?.[slot.family] ?? [];
  const files = [...new Set(installed.flat())];
  const inOrder = patterns.flatMap((p) => files.filter((f) => matchesPattern(f, p)).sort());
  const stem = firstWord(slot.default);
  const alike = inOrder.filter((f) => firstWord(f) === stem);
  return [...new Set([...alike, ...inOrder])];
}

/** `t5xxl` of `t5xxl_fp8_e4m3fn.safetensors`, `clip` of `clip_l.safetensors`. */
function firstWord(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  return base.split(/[^a-z0-9]+/)[0] ?? '';
}

/**
 * The template with these files in its slots: written into the graph and into the defaults of the
 * parameters and slots that name them, so binding and "could a backend run it" both see them.
 */
export function withSlotFiles(
  template: WorkflowTemplate,
  files: Readonly<Record<string, string>>,
): WorkflowTemplate {
  const changed = (template.slots ?? []).filter(
    (s) => files[s.name] !== undefined && files[s.name] !== s.default,
  );
  if (changed.length === 0) return template;
  const graph = { ...template.graph };
  const params = { ...template.params };
  for (const slot of changed) {
    const file = files[slot.name]!;
    const node = graph[slot.node];
    if (node) graph[slot.node] = { ...node, inputs: { ...node.inputs, [slot.input]: file } };
    for (const [name, spec] of Object.entries(params)) {
      if (!spec.targets.some((t) => t.node === slot.node && t.input === slot.input)) continue;
      params[name] = { ...spec, default: file };
      if (spec.choices && !spec.choices.includes(file)) params[name].choices = [...spec.choices, file];
    }
  }
  const slots = (template.slots ?? []).map((s) => (files[s.name] ? { ...s, default: files[s.name]! } : s));
  return { ...template, graph, params, slots };
}
