import type { MessageParams } from '#shared/i18n.ts';
import './messages.ts';

/** Stable codes of workflow messages; texts live in `messages.ts`. */
export const WorkflowCodes = {
  unknownParam: 'workflows.param.unknown',
  notUserSettable: 'workflows.param.not_user_settable',
  wrongType: 'workflows.param.wrong_type',
  notInteger: 'workflows.param.not_integer',
  outOfRange: 'workflows.param.out_of_range',
  notAChoice: 'workflows.param.not_a_choice',
  badAspect: 'workflows.aspect.invalid',
  unknownNode: 'workflows.check.unknown_node',
  badChoice: 'workflows.check.bad_choice',
  noChoicesInstalled: 'workflows.check.no_choices_installed',
  missingInput: 'workflows.check.missing_input',
  inputOutOfRange: 'workflows.check.out_of_range',
  badLink: 'workflows.check.bad_link',
  unknownSlot: 'workflows.model.unknown_slot',
  loraUnsupported: 'workflows.lora.unsupported',
} as const;

export type WorkflowCode = (typeof WorkflowCodes)[keyof typeof WorkflowCodes];

/** An expected failure that can be shown to a user: a stable code plus the values for its message. */
export interface WorkflowError {
  code: WorkflowCode;
  params: MessageParams;
}

/** Long choice lists (hundreds of checkpoints) are cut for chat messages. */
export function listChoices(choices: readonly string[], limit = 25): string {
  const shown = choices.slice(0, limit).join(', ');
  return choices.length > limit ? `${shown}, … (+${choices.length - limit})` : shown;
}
