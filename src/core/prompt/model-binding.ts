import { chooseSlotFiles, type Substitution, withSlotFiles } from '../../workflows/choose-models.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';
import { catalogsFor, type ModelSource } from './installed-catalog.ts';

/**
 * The template as it runs here: the operator's `models.defaults` in its slots, and a slot whose file no
 * backend that can run the template has replaced by an installed file of its family (`models.families`).
 */
export function withInstalledModels(
  template: WorkflowTemplate,
  source: ModelSource,
  onSubstitute?: (s: Substitution) => void,
): WorkflowTemplate {
  const catalogs = catalogsFor(source.backends, template).map((c) => c.objectInfo);
  const chosen = chooseSlotFiles(template, catalogs, source.mapping);
  for (const s of chosen.substitutions) onSubstitute?.(s);
  return withSlotFiles(template, chosen.files);
}

/**
 * For the job engine's binder: each template adapted to what is installed when a job is bound, with each
 * substitution told once per process (template, slot and file), not once per job.
 */
export function installedModelsAdapter(
  source: () => ModelSource,
  tell: (s: Substitution) => void,
): (template: WorkflowTemplate) => WorkflowTemplate {
  const told = new Set<string>();
  return (template) =>
    withInstalledModels(template, source(), (s) => {
      const key = `${s.template}\u0000${s.slot}\u0000${s.missing}\u0000${s.using}`;
      if (told.has(key)) return;
      told.add(key);
      tell(s);
    });
}
