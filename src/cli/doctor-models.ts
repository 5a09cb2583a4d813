import { catalogsFor, type BackendView } from '../core/prompt/installed-catalog.ts';
import { chooseSlotFiles } from '../workflows/choose-models.ts';
import { installedForSlot, unionOf } from '../workflows/installed-models.ts';
import { familyOfFile, type ModelMapping, matchesPattern } from '../workflows/model-mapping.ts';
import { MAIN_KINDS } from '../workflows/model-slots.ts';
import type { ModelKind, ModelSlot, WorkflowTemplate } from '../workflows/types.ts';
import type { ModelChanges } from './doctor-write.ts';

/** A slot whose file no backend that can run the template has, and what those backends have instead. */
export interface ModelProposal {
  template: string;
  slot: ModelSlot;
  /** The file asked for (the operator's default for the template, else the workflow's). */
  missing: string;
  /** Installed files for that slot, most likely first: the proposal is `installed[0]`. */
  installed: string[];
}

/**
 * For every template some reachable backend could run but for missing model files: each slot whose
 * file is not installed there and that no family mapping already fills, with the installed files of that
 * loader ranked: the template's family first (by `models.families`, else by name), then files named like
 * the missing one (`t5xxl_…` for `t5xxl_…`), then by name. Slots with nothing installed have `installed: []`.
 */
export function proposeModels(
  templates: readonly WorkflowTemplate[],
  backends: readonly BackendView[],
  mapping: ModelMapping | undefined,
): ModelProposal[] {
  const out: ModelProposal[] = [];
  for (const template of templates) {
    const catalogs = catalogsFor(backends, template).map((c) => c.objectInfo);
    if (catalogs.length === 0) continue;
    const chosen = chooseSlotFiles(template, catalogs, mapping).files;
    for (const slot of template.slots ?? []) {
      const installed = unionOf(catalogs.map((c) => installedForSlot(c, slot)));
      const file = chosen[slot.name] ?? slot.default;
      if (installed.includes(file)) continue;
      out.push({ template: template.name, slot, missing: file, installed: rank(installed, slot, mapping) });
    }
  }
  return out;
}

function rank(files: readonly string[], slot: ModelSlot, mapping: ModelMapping | undefined): string[] {
  const familyScore = (f: string) => {
    const family = familyOfFile(f, mapping);
    return family === slot.family ? 0 : family === undefined ? 1 : 2;
  };
  const word = firstWord(slot.default);
  const score = (f: string) => familyScore(f) * 2 + (firstWord(f) === word ? 0 : 1);
  return [...files].sort((a, b) => score(a) - score(b) || a.localeCompare(b));
}

function firstWord(file: string): string {
  return (
    file
      .slice(file.lastIndexOf('/') + 1)
      .toLowerCase()
      .split(/[^a-z0-9]+/)[0] ?? ''
  ).trim();
}

/**
 * The config changes for the files picked per proposal: the template's default for the slot, and, for
 * a main model (checkpoint, diffusion model), the file in its family unless the mapping already has it.
 */
export function changesFor(
  picks: readonly { proposal: ModelProposal; file: string }[],
  mapping: ModelMapping | undefined,
): ModelChanges {
  const changes: ModelChanges = { defaults: [], families: [] };
  for (const { proposal, file } of picks) {
    const { slot } = proposal;
    changes.defaults.push({ template: proposal.template, slot: slot.name, file });
    const known = mapping?.families?.[slot.family] ?? [];
    const listed =
      known.some((p) => matchesPattern(file, p)) || changes.families.some((f) => f.file === file);
    if (MAIN_KINDS.has(slot.kind) && slot.family !== 'other' && !listed) {
      changes.families.push({ family: slot.family, file });
    }
  }
  return changes;
}

/** The mapping with the changes applied, for the report that follows the fix. */
export function withChanges(mapping: ModelMapping | undefined, changes: ModelChanges): ModelMapping {
  const defaults: Record<string, Record<string, string>> = {};
  for (const [t, slots] of Object.entries(mapping?.defaults ?? {})) defaults[t] = { ...slots };
  for (const d of changes.defaults) defaults[d.template] = { ...defaults[d.template], [d.slot]: d.file };
  const families: Record<string, string[]> = {};
  for (const [f, files] of Object.entries(mapping?.families ?? {})) families[f] = [...(files ?? [])];
  for (const f of changes.families) families[f.family] = [...(families[f.family] ?? []), f.file];
  return { ...mapping, defaults, families };
}

/** ComfyUI's models folder for a kind of model file. */
export const FOLDER_OF: Record<ModelKind, string> = {
  checkpoint: 'models/checkpoints',
  diffusion_model: 'models/diffusion_models',
  vae: 'models/vae',
  text_encoder: 'models/text_encoders',
  upscale_model: 'models/upscale_models',
};
