import { checkWorkflow, type WorkflowProblem } from '../../workflows/check.ts';
import { WorkflowCodes } from '../../workflows/errors.ts';
import { takesLoras } from '../../workflows/insert-loras.ts';
import { installedForSlot, installedLoras } from '../../workflows/installed-models.ts';
import { familyOfFile, type ModelMapping, mayChoose } from '../../workflows/model-mapping.ts';
import { mainSlot } from '../../workflows/model-slots.ts';
import type { ObjectInfo } from '../../workflows/object-info.ts';
import type { ModelFamily, WorkflowTemplate } from '../../workflows/types.ts';

/** A backend as model choices see it: the pool's `Backend` fits. */
export interface BackendView {
  readonly name: string;
  readonly healthy: boolean;
  readonly objectInfo?: Record<string, unknown> | undefined;
}

/** Where installed models are read from: the backends (`app.pool`) and the operator's `models:` config. */
export interface ModelSource {
  backends: readonly BackendView[];
  mapping?: ModelMapping;
}

/** A healthy backend's catalogue, for a template it can run whatever model files it is given. */
export interface BackendCatalog {
  name: string;
  objectInfo: ObjectInfo;
}

const MODEL_CODES = new Set<string>([WorkflowCodes.badChoice, WorkflowCodes.noChoicesInstalled]);

/**
 * The healthy backends that can run `template` apart from its model files: every node class installed and
 * every other value accepted. Which files they have decides the choices offered, and routing follows.
 * Answers are kept per catalogue object, which the pool replaces on each refresh.
 */
export function catalogsFor(backends: readonly BackendView[], template: WorkflowTemplate): BackendCatalog[] {
  const out: BackendCatalog[] = [];
  for (const b of backends) {
    if (!b.healthy || !b.objectInfo) continue;
    const objectInfo = b.objectInfo as ObjectInfo;
    if (runsHere(template, objectInfo)) out.push({ name: b.name, objectInfo });
  }
  return out;
}

const runs = new WeakMap<ObjectInfo, WeakMap<WorkflowTemplate, boolean>>();

function runsHere(template: WorkflowTemplate, objectInfo: ObjectInfo): boolean {
  const known = runs.get(objectInfo) ?? new WeakMap<WorkflowTemplate, boolean>();
  runs.set(objectInfo, known);
  const cached = known.get(template);
  if (cached !== undefined) return cached;
  const fits = runsApartFromModels(template, objectInfo);
  known.set(template, fits);
  return fits;
}

function runsApartFromModels(template: WorkflowTemplate, objectInfo: ObjectInfo): boolean {
  const slots = template.slots ?? [];
  const isModelProblem = (p: WorkflowProblem) =>
    MODEL_CODES.has(p.code) && slots.some((s) => s.node === p.node && s.input === p.input);
  return checkWorkflow(template.graph, objectInfo).every(isModelProblem);
}

/** One installed file people may choose, and the backends that have it. */
export interface InstalledModel {
  file: string;
  /** From `models.families`, else from the name; absent when neither says. */
  family?: ModelFamily;
  backends: string[];
}

/** What a template can be given on the backends that can run it: its main model's files and LoRAs. */
export interface TemplateModels {
  template: string;
  /** The main model slot (`checkpoint`, `diffusion_model`); absent for templates without one (upscalers). */
  slot?: string;
  models: InstalledModel[];
  loras: InstalledModel[];
}

/**
 * The models and LoRAs people may choose for `template` here: installed on a healthy backend that can
 * run it, and allowed by the operator's lists for the template and the community. For Discord
 * autocomplete and Telegram's `/settings`; `query` keeps the files whose name contains it (any case).
 */
export function installedModelsFor(
  source: ModelSource,
  template: WorkflowTemplate,
  place: { communityId?: string; query?: string } = {},
): TemplateModels {
  const catalogs = catalogsFor(source.backends, template);
  const main = mainSlot(template.slots);
  const allowed = (file: string) =>
    mayChoose(file, { template: template.name, communityId: place.communityId }, source.mapping) &&
    (!place.query || file.toLowerCase().includes(place.query.trim().toLowerCase()));
  const collect = (list: (c: ObjectInfo) => string[] | undefined): InstalledModel[] => {
    const byFile = new Map<string, InstalledModel>();
    for (const c of catalogs) {
      for (const file of list(c.objectInfo) ?? []) {
        if (!allowed(file)) continue;
        const known = byFile.get(file);
        if (known) known.backends.push(c.name);
        else {
          const family = familyOfFile(file, source.mapping);
          byFile.set(file, { file, ...(family ? { family } : {}), backends: [c.name] });
        }
      }
    }
    return [...byFile.values()];
  };
  return {
    template: template.name,
    ...(main ? { slot: main.name } : {}),
    models: main ? collect((c) => installedForSlot(c, main)) : [],
    loras: main && takesLoras(main) ? collect(installedLoras) : [],
  };
}
