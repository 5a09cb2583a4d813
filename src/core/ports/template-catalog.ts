import type { LoadError } from '../../workflows/load-error.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';
import { bindWorkflow } from '../../workflows/bind.ts';
import type { RunnableCheck } from '../jobs/default-template.ts';
import type { BackendPool } from '../pool/backend-pool.ts';
import type { ImagineContext } from '../prompt/index.ts';
import { installedModelsFor, type ModelSource, type TemplateModels } from '../prompt/installed-catalog.ts';
import { withInstalledModels } from '../prompt/model-binding.ts';

/**
 * The loaded workflow templates and what the backends can make of them: enough to list, name and
 * pick templates, never a backend itself.
 */
export interface TemplateCatalog {
  /** Every template, in load order. */
  list(): WorkflowTemplate[];
  get(name: string): WorkflowTemplate | undefined;
  /**
   * Whether some healthy backend can run it now, with its default values and the models installed there:
   * what may be offered to people (buttons, lists, menus). A backend that is down or not read yet counts
   * as unable; submitting still queues a job for one that comes back (`imagine` judges more loosely).
   */
  runnable(template: WorkflowTemplate): boolean;
  /** Template files that did not load, and why. */
  readonly errors: readonly LoadError[];
  /** What the `/imagine` pipeline reads: the templates by name and whether a backend could run one. */
  readonly imagine: ImagineContext;
  /**
   * The model files and LoRAs people may choose for a template here (installed on a healthy backend that
   * can run it, allowed by the operator), for `--model` autocomplete and settings menus.
   */
  installedModels(
    template: WorkflowTemplate,
    place?: { communityId?: string; query?: string },
  ): TemplateModels;
}

/** A catalogue over the app's templates (the map is read at each call) and the pool's capability check. */
export function templateCatalog(
  templates: ReadonlyMap<string, WorkflowTemplate>,
  backends: RunnableCheck & Pick<BackendPool, 'capable'>,
  errors: readonly LoadError[] = [],
  models: () => ModelSource = () => ({ backends: [] }),
): TemplateCatalog {
  // Only `mightRun`: the pipeline gets no other method of the pool.
  const capability: RunnableCheck = { mightRun: (workflow) => backends.mightRun(workflow) };
  return {
    list: () => [...templates.values()],
    get: (name) => templates.get(name),
    runnable: (template) => runnableNow(withInstalledModels(template, models()), backends),
    errors,
    imagine: { templates, pool: capability, models },
    installedModels: (template, place) => installedModelsFor(models(), template, place),
  };
}

/** Whether a healthy backend that has read its catalogue can run the template with its default values. */
function runnableNow(template: WorkflowTemplate, pool: Pick<BackendPool, 'capable'>): boolean {
  const values: Record<string, string> = { prompt: 'probe' };
  if (template.params.image) values.image = 'probe.png';
  const bound = bindWorkflow(template, values, { jobId: 'probe', seed: 1 });
  return pool.capable(bound.ok ? bound.value.workflow : template.graph).length > 0;
}
