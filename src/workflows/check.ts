import type { MessageParams } from '#shared/i18n.ts';
import { listChoices, WorkflowCodes, type WorkflowCode } from './errors.ts';
import { asLink } from './graph.ts';
import { comboOptions, type DeclaredInput, declaredInputs, type ObjectInfo } from './object-info.ts';
import type { ApiWorkflow } from './types.ts';

/** One reason a backend would reject the workflow, found before anything is queued. */
export interface WorkflowProblem {
  code: WorkflowCode;
  params: MessageParams;
  node: string;
  input?: string;
}

/**
 * Checks a (bound) workflow against a backend's `/object_info`: node classes that are not installed,
 * combo values the backend does not have (a missing checkpoint), required inputs, numeric bounds, links.
 * Combos fed by uploads (`image_upload`) or fetched remotely are not checked: the upload happens later.
 */
export function checkWorkflow(workflow: ApiWorkflow, objectInfo: ObjectInfo): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  for (const [node, { class_type, inputs }] of Object.entries(workflow)) {
    const info = objectInfo[class_type];
    if (!info) {
      problems.push({ code: WorkflowCodes.unknownNode, params: { node, class: class_type }, node });
      continue;
    }
    for (const [input, declared] of declaredInputs(info)) {
      const at = { node, input };
      const base = { node, class: class_type, input };
      const value = inputs[input];
      if (value === undefined) {
        if (declared.required) problems.push({ code: WorkflowCodes.missingInput, params: base, ...at });
        continue;
      }
      const link = asLink(value);
      if (link) {
        if (!workflow[link.node])
          problems.push({ code: WorkflowCodes.badLink, params: { ...base, target: link.node }, ...at });
        continue;
      }
      const problem = valueProblem(declared, value);
      if (problem) problems.push({ code: problem.code, params: { ...base, ...problem.params }, ...at });
    }
  }
  return problems;
}

function valueProblem(
  declared: DeclaredInput,
  value: unknown,
): { code: WorkflowCode; params: MessageParams } | undefined {
  const options = comboOptions(declared);
  if (options) {
    if (declared.options['image_upload'] === true || options.includes(String(value))) return undefined;
    const code = options.length === 0 ? WorkflowCodes.noChoicesInstalled : WorkflowCodes.badChoice;
    return { code, params: { value: String(value), choices: listChoices(options) } };
  }
  if ((declared.type === 'INT' || declared.type === 'FLOAT') && typeof value === 'number') {
    const min = declared.options['min'];
    const max = declared.options['max'];
    const below = typeof min === 'number' && value < min;
    const above = typeof max === 'number' && value > max;
    if (below || above) {
      return { code: WorkflowCodes.inputOutOfRange, params: { value, min: String(min), max: String(max) } };
    }
  }
  return undefined;
}
