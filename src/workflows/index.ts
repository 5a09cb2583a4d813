/**
 * @module Workflows as data: load templates and manifests, discover parameters, bind values, check a
 * bound workflow against a backend's /object_info.
 */
export { COMMON_ASPECTS, NATIVE_PIXELS, type Size, sizeForAspect } from './aspect.ts';
export { type BindOptions, type BoundWorkflow, bindWorkflow } from './bind.ts';
export { checkWorkflow, type WorkflowProblem } from './check.ts';
export { chooseSlotFiles, type SlotFiles, type Substitution, withSlotFiles } from './choose-models.ts';
export {
  DISCOVERED_NAMES,
  type DiscoveredName,
  type Discovery,
  discoverParameters,
  type PassSummary,
} from './discover.ts';
export { type WorkflowCode, WorkflowCodes, type WorkflowError } from './errors.ts';
export {
  explainWorkflow,
  type InspectedFile,
  type InspectReport,
  inspectParsed,
  inspectWorkflow,
} from './inspect.ts';
export type { LoadError } from './load-error.ts';
export { guessFileFamily, MODEL_FAMILIES } from './family.ts';
export { insertLoras } from './insert-loras.ts';
export { installedFiles, installedForSlot, installedLoras, unionOf } from './installed-models.ts';
export { type LoadedTemplates, loadTemplates } from './loader.ts';
export { type Manifest, parseManifest } from './manifest.ts';
export {
  type ChoicePlace,
  DEFAULT_LORA_LIMITS,
  familyOfFile,
  type LoraLimits,
  loraLimits,
  type ModelMapping,
  mayChoose,
  matchesPattern,
} from './model-mapping.ts';
export { findModelFile, type ModelFileMatch } from './model-names.ts';
export { findModelSlots, LOADER_INPUTS, MAIN_KINDS, mainSlot } from './model-slots.ts';
export type { NodeInfo, ObjectInfo } from './object-info.ts';
export { jobFilenamePrefix } from './output-prefix.ts';
export { validateParamValue, validateParamValues } from './param-values.ts';
export { type ReadWorkflow, readWorkflow } from './read-workflow.ts';
export { MAX_SEED, RANDOM_SEED, resolveSeed } from './seed.ts';
export { buildTemplate } from './template.ts';
export type * from './types.ts';
