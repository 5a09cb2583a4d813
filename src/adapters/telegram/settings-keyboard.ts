import type { InlineKeyboardButton } from 'telegraf/types';
import { COMMON_ASPECTS } from '../../workflows/aspect.ts';

export const STEP_CHOICES = [10, 20, 30, 50] as const;

export interface SettingsKeyboardTexts {
  steps: (n: number) => string;
  privateResults: (on: boolean) => string;
  /** The button that goes back to the server's default workflow. */
  defaultWorkflow: string;
  /** The button that goes back to the template's own model. */
  defaultModel: string;
}

/** Installed models people may choose for the workflow in force, and the one they chose. */
export interface ModelChoices {
  files: readonly string[];
  chosen?: string;
}

/** At most this many model buttons (the rest: `/settings model:…`, or `--model` in a prompt). */
const MAX_MODELS = 12;

/** The `cs:w:` value meaning "no saved workflow": `/settings workflow:default`. */
const DEFAULT_WORKFLOW = 'default';

/**
 * `/settings` buttons: `cs:a:<aspect>`, `cs:w:<workflow>` (the workflows that can run now, then one back
 * to the default), `cs:m:<file>` (the installed models of the workflow in force, then one back to the
 * template's), `cs:s:<steps>`, `cs:p:<0|1>`. Names whose data would pass Telegram's 64-byte
 * `callback_data` limit are left out (set them with `/settings workflow:…` or `model:…`).
 */
export function settingsKeyboard(
  workflows: readonly string[],
  t: SettingsKeyboardTexts,
  models: ModelChoices = { files: [] },
): InlineKeyboardButton[][] {
  const b = (text: string, data: string) => ({ text, callback_data: data });
  const fits = (data: string) => Buffer.byteLength(data) <= 64;
  const modelButtons = models.files
    .filter((f) => fits(`cs:m:${f}`))
    .slice(0, MAX_MODELS)
    .map((f) => b(`${f === models.chosen ? '✓ ' : ''}${f.replace(/\.[^.]+$/, '')}`, `cs:m:${f}`));
  const modelRows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < modelButtons.length; i += 2) modelRows.push(modelButtons.slice(i, i + 2));
  return [
    COMMON_ASPECTS.slice(0, 4).map((a) => b(a, `cs:a:${a}`)),
    COMMON_ASPECTS.slice(4).map((a) => b(a, `cs:a:${a}`)),
    ...workflows.filter((w) => fits(`cs:w:${w}`)).map((w) => [b(w, `cs:w:${w}`)]),
    [b(t.defaultWorkflow, `cs:w:${DEFAULT_WORKFLOW}`)],
    ...(modelRows.length ? [...modelRows, [b(t.defaultModel, `cs:m:${DEFAULT_WORKFLOW}`)]] : []),
    STEP_CHOICES.map((n) => b(t.steps(n), `cs:s:${n}`)),
    [b(t.privateResults(true), 'cs:p:1'), b(t.privateResults(false), 'cs:p:0')],
  ];
}

/** A `cs:*` press as `/settings` options, or undefined for anything else. */
export function parseSettingsPress(data: string): Record<string, string | number | boolean> | undefined {
  const [prefix, kind, ...rest] = data.split(':');
  const value = rest.join(':');
  if (prefix !== 'cs' || !value) return undefined;
  switch (kind) {
    case 'a':
      return { aspect: value };
    case 'w':
      return { workflow: value };
    case 'm':
      return { model: value };
    case 's':
      return /^\d{1,3}$/.test(value) ? { steps: Number(value) } : undefined;
    case 'p':
      return { private: value === '1' };
    default:
      return undefined;
  }
}
