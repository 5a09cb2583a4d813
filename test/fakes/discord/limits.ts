/**
 * Discord's documented payload limits (message.mdx, components/reference.mdx,
 * application-commands.mdx, receiving-and-responding.mdx). Validators add
 * field errors to a FormErrors collector; the caller throws 50035.
 */
import type { FormErrors } from './errors.ts';

export const Limits = {
  contentLength: 2000,
  embeds: 10,
  embedTotalChars: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  actionRows: 5,
  buttonsPerRow: 5,
  componentsV2Total: 40,
  customIdLength: 100,
  buttonLabel: 80,
  selectOptions: 25,
  attachmentsPerMessage: 10,
  defaultAttachmentSize: 10 * 1024 * 1024,
  requestSize: 25 * 1024 * 1024,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  commandTotalChars: 8000,
  globalChatInputCommands: 100,
  modalTitle: 45,
} as const;

type Path = readonly (string | number)[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function maxLen(errs: FormErrors, path: Path, value: unknown, max: number): void {
  const s = str(value);
  if (s !== undefined && [...s].length > max)
    errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

export function badLen(errs: FormErrors, path: Path, value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) {
    errs.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  const n = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : -1;
  if (n < min || n > max)
    errs.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
}

function maxItems(errs: FormErrors, path: Path, value: unknown, max: number): void {
  if (Array.isArray(value) && value.length > max)
    errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

/** content, embeds, components of a message create/edit body (`path` is e.g. `['data']` for callbacks). */
export function validateMessageBody(errs: FormErrors, body: Obj, path: Path = []): void {
  maxLen(errs, [...path, 'content'], body['content'], Limits.contentLength);
  validateEmbeds(errs, body['embeds'], [...path, 'embeds']);
  validateComponents(errs, body['components'], [...path, 'components'], Number(body['flags'] ?? 0));
}

function validateEmbeds(errs: FormErrors, embeds: unknown, path: Path): void {
  if (!Array.isArray(embeds)) return;
  maxItems(errs, path, embeds, Limits.embeds);
  let total = 0;
  embeds.forEach((e: unknown, i) => {
    if (!isObj(e)) return;
    const p = [...path, i];
    const author = isObj(e['author']) ? e['author'] : {};
    const footer = isObj(e['footer']) ? e['footer'] : {};
    maxLen(errs, [...p, 'title'], e['title'], Limits.embedTitle);
    maxLen(errs, [...p, 'description'], e['description'], Limits.embedDescription);
    maxLen(errs, [...p, 'author', 'name'], author['name'], Limits.embedAuthorName);
    maxLen(errs, [...p, 'footer', 'text'], footer['text'], Limits.embedFooter);
    for (const s of [e['title'], e['description'], author['name'], footer['text']])
      total += str(s)?.length ?? 0;
    const fields = Array.isArray(e['fields']) ? e['fields'] : [];
    maxItems(errs, [...p, 'fields'], fields, Limits.embedFields);
    fields.forEach((f: unknown, j) => {
      const field = isObj(f) ? f : {};
      badLen(errs, [...p, 'fields', j, 'name'], field['name'], 1, Limits.embedFieldName);
      badLen(errs, [...p, 'fields', j, 'value'], field['value'], 1, Limits.embedFieldValue);
      total += (str(field['name'])?.length ?? 0) + (str(field['value'])?.length ?? 0);
    });
  });
  if (total > Limits.embedTotalChars)
    errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Embed size exceeds maximum size of ${Limits.embedTotalChars}`);
}

const IS_COMPONENTS_V2 = 1 << 15;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function validateComponents(errs: FormErrors, rows: unknown, path: Path, flags: number): void {
  if (!Array.isArray(rows)) return;
  const seen = new Set<string>();
  const checkCustomId = (c: Obj, p: Path): void => {
    const id = c['custom_id'];
    badLen(errs, [...p, 'custom_id'], id, 1, Limits.customIdLength);
    if (typeof id === 'string') {
      if (seen.has(id))
        errs.add(
          [...p, 'custom_id'],
          'COMPONENT_CUSTOM_ID_DUPLICATED',
          'Component custom id cannot be duplicated',
        );
      seen.add(id);
    }
  };
  if ((flags & IS_COMPONENTS_V2) !== 0) {
    let total = 0;
    const walk = (list: unknown[], p: Path): void =>
      list.forEach((c, i) => {
        if (!isObj(c)) return;
        total++;
        if (c['custom_id'] !== undefined) checkCustomId(c, [...p, i]);
        if (Array.isArray(c['components'])) walk(c['components'], [...p, i, 'components']);
        if (isObj(c['accessory'])) walk([c['accessory']], [...p, i, 'accessory']);
      });
    walk(rows, path);
    if (total > Limits.componentsV2Total)
      errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.componentsV2Total} or fewer in length.`);
    return;
  }
  maxItems(errs, path, rows, Limits.actionRows);
  rows.forEach((row: unknown, i) => {
    const p = [...path, i];
    if (!isObj(row) || row['type'] !== 1) {
      errs.add([...p, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = row['components'];
    if (!Array.isArray(children)) {
      errs.add([...p, 'components'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    badLen(errs, [...p, 'components'], children, 1, Limits.buttonsPerRow);
    const hasSelect = children.some((c) => isObj(c) && SELECT_TYPES.has(Number(c['type'])));
    if (hasSelect && children.length > 1)
      errs.add(
        [...p, 'components'],
        'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        'The specified component exceeds the maximum width',
      );
    children.forEach((c: unknown, j) => {
      if (!isObj(c)) return;
      const cp = [...p, 'components', j];
      if (c['type'] === 2) validateButton(errs, c, cp, checkCustomId);
      else if (SELECT_TYPES.has(Number(c['type']))) {
        checkCustomId(c, cp);
        maxItems(errs, [...cp, 'options'], c['options'], Limits.selectOptions);
      }
    });
  });
}

function validateButton(errs: FormErrors, c: Obj, p: Path, checkCustomId: (c: Obj, p: Path) => void): void {
  maxLen(errs, [...p, 'label'], c['label'], Limits.buttonLabel);
  const style = Number(c['style']);
  if (style === 5) {
    if (typeof c['url'] !== 'string')
      errs.add([...p, 'url'], 'BUTTON_COMPONENT_URL_REQUIRED', 'A url is required');
    if (c['custom_id'] !== undefined)
      errs.add([...p, 'custom_id'], 'BUTTON_COMPONENT_LINK_CUSTOM_ID', 'A custom id cannot be specified');
  } else if (style !== 6) {
    if (c['custom_id'] === undefined)
      errs.add([...p, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id is required');
    else checkCustomId(c, p);
  }
}

/** Autocomplete result (callback type 8): at most 25 choices, name 1-100, string value <= 100. */
export function validateChoices(errs: FormErrors, choices: unknown, path: Path): void {
  if (!Array.isArray(choices)) {
    errs.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  maxItems(errs, path, choices, Limits.autocompleteChoices);
  choices.forEach((c: unknown, i) => {
    const choice = isObj(c) ? c : {};
    badLen(errs, [...path, i, 'name'], choice['name'], 1, Limits.choiceName);
    if (typeof choice['value'] === 'string')
      maxLen(errs, [...path, i, 'value'], choice['value'], Limits.choiceValue);
    else if (typeof choice['value'] !== 'number')
      errs.add([...path, i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
}

/** Modal (callback type 9): custom_id 1-100, title 1-45, 1-5 components. */
export function validateModal(errs: FormErrors, data: Obj, path: Path): void {
  badLen(errs, [...path, 'custom_id'], data['custom_id'], 1, Limits.customIdLength);
  badLen(errs, [...path, 'title'], data['title'], 1, Limits.modalTitle);
  badLen(errs, [...path, 'components'], data['components'], 1, 5);
}

// Lower-case check applies to CHAT_INPUT names (application-commands.mdx "Application Command Naming").
const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** One application command definition (POST/PUT commands). */
export function validateCommand(errs: FormErrors, cmd: Obj, path: Path): void {
  const type = Number(cmd['type'] ?? 1);
  const name = cmd['name'];
  if (type === 1) {
    if (typeof name !== 'string' || !NAME_RE.test(name) || name !== name.toLowerCase())
      errs.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    badLen(errs, [...path, 'description'], cmd['description'], 1, Limits.commandDescription);
  } else {
    badLen(errs, [...path, 'name'], name, 1, Limits.commandName);
    if (cmd['description'])
      errs.add(
        [...path, 'description'],
        'APPLICATION_COMMAND_INVALID_DESCRIPTION',
        'Description must be empty',
      );
  }
  const total = { chars: (str(name)?.length ?? 0) + (str(cmd['description'])?.length ?? 0) };
  validateOptions(errs, cmd['options'], [...path, 'options'], total);
  if (total.chars > Limits.commandTotalChars)
    errs.add(
      path,
      'APPLICATION_COMMAND_TOO_LARGE',
      `Command exceeds maximum size (${Limits.commandTotalChars})`,
    );
}

function validateOptions(errs: FormErrors, options: unknown, path: Path, total: { chars: number }): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    errs.add(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return;
  }
  maxItems(errs, path, options, Limits.commandOptions);
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((o: unknown, i) => {
    const opt = isObj(o) ? o : {};
    const p = [...path, i];
    const name = opt['name'];
    if (typeof name !== 'string' || !NAME_RE.test(name) || name !== name.toLowerCase())
      errs.add([...p, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    else if (names.has(name))
      errs.add(
        [...p, 'name'],
        'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        'Option name already exists',
      );
    if (typeof name === 'string') names.add(name);
    badLen(errs, [...p, 'description'], opt['description'], 1, Limits.commandDescription);
    total.chars += (str(name)?.length ?? 0) + (str(opt['description'])?.length ?? 0);
    const isSub = opt['type'] === 1 || opt['type'] === 2;
    if (!isSub) {
      if (opt['required'] === true && sawOptional)
        errs.add(
          [...p, 'required'],
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        );
      if (opt['required'] !== true) sawOptional = true;
    }
    const choices = opt['choices'];
    if (Array.isArray(choices)) {
      maxItems(errs, [...p, 'choices'], choices, Limits.commandChoices);
      choices.forEach((c: unknown, j) => {
        const choice = isObj(c) ? c : {};
        badLen(errs, [...p, 'choices', j, 'name'], choice['name'], 1, Limits.choiceName);
        maxLen(errs, [...p, 'choices', j, 'value'], choice['value'], Limits.choiceValue);
        total.chars += (str(choice['name'])?.length ?? 0) + String(choice['value'] ?? '').length;
      });
      if (opt['autocomplete'] === true)
        errs.add(
          [...p, 'autocomplete'],
          'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE',
          'Autocomplete cannot be enabled with choices',
        );
    }
    if (isSub) validateOptions(errs, opt['options'], [...p, 'options'], total);
  });
}
