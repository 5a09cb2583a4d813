import { buildCatalog, normalizeModels } from '../../fakes/comfy/catalog.ts';
import type { ModelFiles } from '../../fakes/comfy/types.ts';
import { loadTemplates } from '../../../src/workflows/loader.ts';
import type { ObjectInfo } from '../../../src/workflows/object-info.ts';
import type { WorkflowTemplate } from '../../../src/workflows/types.ts';
import { SHIPPED } from './helpers.ts';

/** The recorded /object_info with these files installed per models folder (as the fake ComfyUI serves it). */
export function catalogWith(models: ModelFiles): ObjectInfo {
  return buildCatalog(undefined, normalizeModels(models), []) as unknown as ObjectInfo;
}

const loaded = await loadTemplates(SHIPPED);

/** A shipped template by name. */
export function shipped(name: string): WorkflowTemplate {
  const t = loaded.templates.find((x) => x.name === name);
  if (!t) throw new Error(`no shipped template ${name}`);
  return t;
}
