import { bindWorkflow } from '../../workflows/bind.ts';
import type { ParamValues, WorkflowTemplate } from '../../workflows/types.ts';
import { err, ok } from '#shared/result.ts';
import type { WorkflowBinder } from './job-service.ts';

/**
 * Binds job requests against the loaded templates, by name, with the request's model files and LoRAs.
 * `adapt` fits a template to what is installed first (the operator's model defaults, substitutes).
 */
export function templateBinder(
  templates: () => ReadonlyMap<string, WorkflowTemplate>,
  adapt: (template: WorkflowTemplate) => WorkflowTemplate = (t) => t,
): WorkflowBinder {
  return (request, jobId) => {
    const found = templates().get(request.template);
    const template = found ? adapt(found) : undefined;
    if (!template) return err({ code: 'jobs.unknownTemplate', params: { template: request.template } });
    if (template.params.image && !request.inputImage) {
      return err({ code: 'jobs.needsImage', params: { template: template.name } });
    }
    const values: ParamValues = { ...request.values, prompt: request.prompt };
    if (request.negative !== undefined) values.negative = request.negative;
    if (request.inputImage) values.image = request.inputImage.key;
    for (const name of Object.keys(values)) {
      if (!template.params[name] && (name === 'prompt' || name === 'negative' || name === 'image'))
        delete values[name];
    }
    const bound = bindWorkflow(template, values, {
      jobId,
      seed: request.seed,
      ...(request.models ? { models: request.models } : {}),
      ...(request.loras ? { loras: request.loras } : {}),
    });
    if (!bound.ok) return bound;
    return ok({
      workflow: bound.value.workflow,
      seed: bound.value.seed,
      imageTargets: template.params.image?.targets ?? [],
    });
  };
}
