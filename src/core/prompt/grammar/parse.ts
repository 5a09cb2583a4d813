/**
 * Stage 1 of the prompt grammar: split a raw `/imagine` line into the prompt and its flags.
 * Pure and template-agnostic; stage 2 (`resolve.ts`) gives the flags meaning.
 *
 * Rules:
 * - A flag starts at the beginning of the input or after whitespace with `--`, `—` (em dash, as phones
 *   autocorrect `--`), `–` (en dash) or `——` (Chinese IMEs), then a name `[A-Za-z][A-Za-z0-9_-]*`,
 *   then whitespace, `=` or the end. Names are lower-cased.
 * - A flag's value runs until the next flag (`--no text, watermark` is one value) and is trimmed;
 *   one pair of surrounding quotes ("…", '…', “…”, 「…」) is removed. Quotes do not hide a `--flag`.
 * - The prompt is the text before the first flag, trimmed at both ends and otherwise verbatim
 *   (quotes, braces, `::`, newlines are kept).
 */

/** One flag as written. `raw` is the exact source text, e.g. `—AR=16:9`. */
export interface ParsedFlag {
  name: string;
  value: string;
  raw: string;
}

export interface ParsedPrompt {
  prompt: string;
  flags: ParsedFlag[];
}

const FLAG_START = /(^|\s)(——|--|—|–)([A-Za-z][A-Za-z0-9_-]*)(?=\s|=|$)/g;
const QUOTE_PAIRS: Record<string, string> = {
  '"': '"',
  "'": "'",
  '“': '”',
  '‘': '’',
  '「': '」',
  '『': '』',
};

export function parsePrompt(raw: string): ParsedPrompt {
  const starts: { index: number; nameEnd: number; name: string }[] = [];
  for (const m of raw.matchAll(FLAG_START)) {
    const index = m.index + (m[1] ?? '').length;
    const name = m[3] ?? '';
    starts.push({ index, nameEnd: index + (m[2] ?? '').length + name.length, name });
  }
  const first = starts[0];
  const prompt = (first ? raw.slice(0, first.index) : raw).trim();
  const flags = starts.map((s, i) => {
    const end = starts[i + 1]?.index ?? raw.length;
    let rest = raw.slice(s.nameEnd, end);
    if (rest.startsWith('=')) rest = rest.slice(1);
    return { name: s.name.toLowerCase(), value: unquote(rest.trim()), raw: raw.slice(s.index, end).trim() };
  });
  return { prompt, flags };
}

function unquote(value: string): string {
  const close = QUOTE_PAIRS[value[0] ?? ''];
  if (close !== undefined && value.length >= 2 && value.endsWith(close)) return value.slice(1, -1).trim();
  return value;
}
