/**
 * Strict number reading for flag values.
 * Accepted: plain decimals with an optional sign, leading or trailing point and exponent:
 * `30`, `6.5`, `.5`, `5.`, `-1`, `+2`, `1e3`. An exponent is read (so `--steps 1e9` is reported as out of
 * range rather than "not a number"); the range check that follows decides.
 * Rejected: hex/octal/binary (`0x1F`), `NaN`, `Infinity`, digit separators (`1_000`, `1,000`), empty text.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

export function readNumber(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

const TRUE_WORDS = new Set(['', 'true', 'yes', 'on', '1', 'y']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0', 'n']);

/** `--hires` alone means true; `true/false`, `yes/no`, `on/off`, `1/0` are also read. */
export function readBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return undefined;
}
