/**
 * `/imagine` for every front end: `planImagine(ctx, request)` turns text, typed options, an input image,
 * the place, its policy and the person's defaults into the job requests to submit or one refusal;
 * `submitPlan` submits them. The prompt grammar it reads flags with is in `./grammar/`.
 */
export { type ImagineContext, planImagine } from './imagine-pipeline.ts';
export type {
  CheckedImage,
  GivenImage,
  ImagineOptions,
  ImaginePlan,
  ImagineRequest,
  Place,
} from './imagine-request.ts';
export {
  type BackendView,
  catalogsFor,
  type InstalledModel,
  installedModelsFor,
  type ModelSource,
  type TemplateModels,
} from './installed-catalog.ts';
export { installedModelsAdapter, withInstalledModels } from './model-binding.ts';
export { checkPlace, templatesFor } from './place-rules.ts';
export { type PlanEngine, type PlanSubmission, submitPlan } from './submit-plan.ts';
