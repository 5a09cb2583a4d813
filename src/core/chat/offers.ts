import type { WorkflowTemplate } from '../../workflows/types.ts';
import { pickDefaultTemplate } from '../jobs/default-template.ts';
import type { JobRecord } from '../jobs/types.ts';
import type { TemplateCatalog } from '../ports/template-catalog.ts';
import { type Place, templatesFor } from '../prompt/index.ts';
import type { CommunityPolicy } from './community-policy.ts';

export type DeriveKind = 'variation' | 'upscale';

/**
 * What may be offered to people: only templates some healthy backend can run now, so no button, list
 * entry or menu leads to "this server cannot do that". Read at each call (backends come and go).
 */
export class Offers {
  readonly #templates: TemplateCatalog;

  constructor(templates: TemplateCatalog) {
    this.#templates = templates;
  }

  /** Templates usable in the place (its channel's list, the NSFW rule) that can run now, in load order. */
  usable(place: Place, policy: CommunityPolicy): WorkflowTemplate[] {
    return templatesFor(this.#templates.list(), place, policy).filter((t) => this.#templates.runnable(t));
  }

  /** Every template that can run now, wherever (autocomplete from memory, settings menus). */
  runnable(): WorkflowTemplate[] {
    return this.#templates.list().filter((t) => this.#templates.runnable(t));
  }

  /** The template a prompt that names none would use, among those that can run now (for `/help`). */
  defaultTemplate(place?: Place, policy?: CommunityPolicy): WorkflowTemplate | undefined {
    const usable = place && policy ? this.usable(place, policy) : this.runnable();
    return pickDefaultTemplate(usable, { mightRun: () => ({ possible: true, problems: [] }) });
  }

  /**
   * The template a variation (img2img) or an upscale of `job`'s image uses: tagged so, with an image
   * parameter, runnable now; the job's own family first. Undefined: the button is not shown.
   */
  deriveTemplate(kind: DeriveKind, job?: Pick<JobRecord, 'request'>): WorkflowTemplate | undefined {
    const tag = kind === 'variation' ? 'img2img' : 'upscale';
    const family = job ? this.#templates.get(job.request.template)?.family : undefined;
    const candidates = this.#templates
      .list()
      .filter((t) => t.tags.includes(tag) && t.params.image)
      .sort((a, b) => Number(b.family === family) - Number(a.family === family));
    return candidates.find((t) => this.#templates.runnable(t));
  }

  /** Which derive buttons a result gets. */
  derivable(job: Pick<JobRecord, 'request'>): { variation: boolean; upscale: boolean } {
    return {
      variation: !!this.deriveTemplate('variation', job),
      upscale: !!this.deriveTemplate('upscale', job),
    };
  }

  /** Installed models of the template's own family people could name with `--model` (for a hint). */
  modelsFor(template: string | undefined, communityId?: string): string[] {
    const tpl = template ? this.#templates.get(template) : undefined;
    if (!tpl) return [];
    const models = this.#templates.installedModels(tpl, { communityId }).models;
    return models.filter((m) => m.family !== undefined && m.family === tpl.family).map((m) => m.file);
  }
}
