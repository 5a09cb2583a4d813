import type { UserMessage } from '#shared/i18n.ts';

/**
 * Messages whose words are for the operator: node classes, file names, ComfyUI's own errors. A chat
 * member is told something short they can act on instead, and the operator gets these in the log and
 * in metrics (and `comfyrelay doctor` lists what each backend lacks).
 */
const OPERATOR_CODES = new Set([
  'workflows.check.unknown_node',
  'workflows.check.bad_choice',
  'workflows.check.no_choices_installed',
  'workflows.check.missing_input',
  'workflows.check.out_of_range',
  'workflows.check.bad_link',
  'workflows.model.unknown_slot',
  'workflows.lora.unsupported',
  'jobs.noCapableBackend',
  'jobs.rejectedByComfy',
  'jobs.failedInNode',
  'jobs.resultUnreadable',
  'jobs.deliveryFailed',
]);

/** Inputs of model loaders: a missing file there is "that model isn't here", not a broken server. */
const MODEL_INPUTS = /(ckpt|unet|vae|clip|lora|model)_?name$|^(model|checkpoint)$/i;

/** What a refusal or failure was about, for a message a person can act on. */
export interface Attempt {
  /** A button's derived job: the answer names what this server cannot do. */
  derive?: 'upscale' | 'variation';
  template?: string;
  /** Installed models the person could name with `--model` instead. */
  models?: readonly string[];
}

export interface PersonMessage {
  /** What the person is shown, in their language. */
  person: UserMessage;
  /** The original, when it was meant for the operator (log it, count it). */
  operator?: UserMessage;
}

export const isForOperator = (message: UserMessage): boolean => OPERATOR_CODES.has(message.code);

/** Splits a message from the core into what the person sees and what the operator should know. */
export function forPerson(message: UserMessage, attempt: Attempt = {}): PersonMessage {
  if (!isForOperator(message)) return { person: message };
  const operator = message;
  if (attempt.derive) return { person: { code: `chat.cannot.${attempt.derive}` }, operator };
  const { code, params = {} } = message;
  if (code.startsWith('jobs.') && code !== 'jobs.noCapableBackend') {
    const person = code === 'jobs.deliveryFailed' ? 'chat.failed.delivery' : 'chat.failed.server';
    return { person: { code: person }, operator };
  }
  const missingModel =
    (code === 'workflows.check.bad_choice' || code === 'workflows.check.no_choices_installed') &&
    MODEL_INPUTS.test(String(params['input'] ?? ''));
  if (missingModel && attempt.models?.length) {
    const models = attempt.models.slice(0, 3).join(' / ');
    return { person: { code: 'chat.cannot.model', params: { models } }, operator };
  }
  const template = attempt.template ?? String(params['template'] ?? '');
  return {
    person: template
      ? { code: 'chat.cannot.template', params: { template } }
      : { code: 'chat.cannot.anything' },
    operator,
  };
}

/**
 * A refusal that lists choices (an unknown workflow, one not allowed here, an unknown model) lists the
 * names of the templates that can run here now: never tags, never one no backend can run.
 */
export function listingUsable(message: UserMessage, names: () => string[]): UserMessage {
  const list = () => names().join(', ') || '-';
  switch (message.code) {
    case 'grammar.template.unknown':
      return { ...message, params: { ...message.params, available: list() } };
    case 'chat.templateNotAllowed':
      return { ...message, params: { ...message.params, allowed: list() } };
    case 'prompt.model.unknown':
      return { ...message, params: { ...message.params, templates: list() } };
    default:
      return message;
  }
}
