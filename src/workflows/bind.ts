import { err, ok, type Result } from '#shared/result.ts';
import { WorkflowCodes, type WorkflowError } from './errors.ts';
import { cloneWorkflow } from './graph.ts';
import { insertLoras } from './insert-loras.ts';
import { mainSlot } from './model-slots.ts';
import { applyJobPrefixes } from './output-prefix.ts';
import { validateParamValues } from './param-values.ts';
import { MAX_SEED, RANDOM_SEED, resolveSeed } from './seed.ts';
import type { ApiWorkflow, LoraChoice, ParamValues, WorkflowTemplate } from './types.ts';

export interface BindOptions {
  jobId: string;
  /** Used when `values.seed` is absent; -1 or absent means random. */
  seed?: number;
  random?: () => number;
  /** Reject parameters the template reserves for the operator (`user: false`). */
  asUser?: boolean;
  /** First folder of every saved file; default `comfyrelay`. */
  prefixRoot?: string;
  /** Slot name → model file, written over the slot's default unless a given value already set that input. */
  models?: Readonly<Record<string, string>>;
  /** LoRAs chained after the main model's loader, in order. */
  loras?: readonly LoraChoice[];
}

export interface BoundWorkflow {
  /** A fresh graph, ready for `POST /prompt`. */
  workflow: ApiWorkflow;
  /** The seed written to every seed target (reported even when the template has none). */
  seed: number;
  /** Every value written, defaults included, after validation. */
  values: ParamValues;
  /** Output node ids to deliver. */
  deliver: string[];
}

/**
 * Writes parameter values into a deep copy of the template's graph: values are set on the parsed
 * object, never spliced into JSON text, so any prompt lands verbatim.
 */
export function bindWorkflow(
  template: WorkflowTemplate,
  values: ParamValues,
  opts: BindOptions,
): Result<BoundWorkflow, WorkflowError> {
  const checked = validateParamValues(template.params, values, opts.asUser);
  if (!checked.ok) return checked;
  const given = checked.value;
  const requested = given['seed'] ?? opts.seed ?? template.params['seed']?.default;
  if (requested !== undefined && !isSeed(requested)) {
    return err({
      code: WorkflowCodes.outOfRange,
      params: { param: 'seed', value: String(requested), min: RANDOM_SEED, max: MAX_SEED },
    });
  }
  const seed = resolveSeed(requested, opts.random);
  const workflow = cloneWorkflow(template.graph);
  const applied: ParamValues = {};
  for (const spec of Object.values(template.params)) {
    const value = spec.name === 'seed' ? seed : (given[spec.name] ?? spec.default);
    if (value === undefined) continue;
    applied[spec.name] = value;
    for (const target of spec.targets) {
      const node = workflow[target.node];
      if (node) node.inputs[target.input] = value;
    }
  }
  const placed = placeModels(template, workflow, given, opts);
  if (!placed.ok) return placed;
  applyJobPrefixes(workflow, opts.jobId, opts.prefixRoot);
  return ok({ workflow, seed, values: applied, deliver: template.deliver ?? template.outputs });
}

function placeModels(
  template: WorkflowTemplate,
  workflow: ApiWorkflow,
  given: ParamValues,
  opts: BindOptions,
): Result<true, WorkflowError> {
  const slots = template.slots ?? [];
  for (const [name, file] of Object.entries(opts.models ?? {})) {
    const slot = slots.find((s) => s.name === name);
    if (!slot) {
      const known = slots.map((s) => s.name).join(', ') || '-';
      return err({ code: WorkflowCodes.unknownSlot, params: { slot: name, template: template.name, known } });
    }
    const setByValue = Object.keys(given).some((p) =>
      template.params[p]?.targets.some((t) => t.node === slot.node && t.input === slot.input),
    );
    const node = workflow[slot.node];
    if (node && !setByValue) node.inputs[slot.input] = file;
  }
  if (!opts.loras?.length) return ok(true);
  const main = mainSlot(slots);
  const inserted = main ? insertLoras(workflow, main, opts.loras) : undefined;
  if (!inserted?.ok) return err({ code: WorkflowCodes.loraUnsupported, params: { template: template.name } });
  return ok(true);
}

function isSeed(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= RANDOM_SEED;
}
