/** Bot API limits and the pure validators that enforce them (all throw TelegramFailure). */
import { Fail, MAX_PHOTO_BYTES } from './errors.ts';

export const Limits = {
  textChars: 4096,
  captionChars: 1024,
  callbackDataBytes: 64,
  photoBytes: MAX_PHOTO_BYTES,
  photoSideSum: 10_000,
  photoRatio: 20,
  uploadBytes: 50 * 1024 * 1024,
  downloadBytes: 20 * 1024 * 1024,
  mediaGroupMin: 2,
  mediaGroupMax: 10,
  commands: 100,
  commandDescriptionChars: 256,
} as const;

/** Telegram counts text length in UTF-16 code units (the unit of entity offsets), after trimming. */
export function checkText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') throw Fail.textEmpty();
  if (text.trim().length > Limits.textChars) throw Fail.textTooLong();
  return text;
}

export function checkCaption(caption: unknown): string | undefined {
  if (caption === undefined || caption === null || caption === '') return undefined;
  const s = String(caption);
  if (s.trim().length > Limits.captionChars) throw Fail.captionTooLong();
  return s;
}

export type InlineButton = Record<string, unknown> & { text?: unknown; callback_data?: unknown };
export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

const BUTTON_ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

/** Validates an inline keyboard: every button needs one action, callback_data is 1-64 UTF-8 bytes. */
export function checkReplyMarkup(markup: unknown): Record<string, unknown> | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object') throw Fail.badParameter("can't parse reply keyboard markup JSON object");
  const m = markup as Record<string, unknown>;
  if (!('inline_keyboard' in m)) return m;
  const rows = m.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
    throw Fail.badParameter("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  for (const row of rows as unknown[][]) {
    for (const b of row) {
      const button = (b ?? {}) as InlineButton;
      if (typeof button.text !== 'string')
        throw Fail.badParameter('can\'t parse inline keyboard button: Field "text" must be of type String');
      if (!BUTTON_ACTIONS.some((k) => k in button)) throw Fail.textButton();
      if ('callback_data' in button) {
        const bytes = Buffer.byteLength(String(button.callback_data ?? ''), 'utf8');
        if (bytes < 1 || bytes > Limits.callbackDataBytes) throw Fail.buttonData();
      }
    }
  }
  return m;
}

export function checkPhotoSize(size: number): void {
  if (size > Limits.photoBytes) throw Fail.photoTooBig(size);
}

export function checkPhotoDimensions(width: number, height: number): void {
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (width + height > Limits.photoSideSum || ratio > Limits.photoRatio) throw Fail.photoDimensions();
}

export function checkUploadSize(size: number): void {
  if (size > Limits.uploadBytes) throw Fail.uploadTooBig();
}

export function checkCommands(commands: unknown): { command: string; description: string }[] {
  if (!Array.isArray(commands) || commands.length > Limits.commands) throw Fail.commandInvalid();
  return commands.map((c: unknown) => {
    const { command, description } = (c ?? {}) as { command?: unknown; description?: unknown };
    if (typeof command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command)) throw Fail.commandInvalid();
    if (
      typeof description !== 'string' ||
      description.length < 1 ||
      description.length > Limits.commandDescriptionChars
    ) {
      throw Fail.commandDescriptionInvalid();
    }
    return { command, description };
  });
}

/** Deep equality of JSON values (used for "message is not modified"). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = normalize(x);
    }
    return out;
  }
  return v;
}
