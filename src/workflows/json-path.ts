/** `$.parameters.steps.min`, `$["3"].inputs.text`: how loader errors point inside a file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

interface Frame {
  kind: 'object' | 'array';
  key?: string;
  index: number;
  expectingKey: boolean;
}

/** The path of the value being read at `position`, found by scanning the (broken) JSON text up to it. */
export function jsonPathAt(text: string, position: number): PropertyKey[] {
  const stack: Frame[] = [];
  for (let i = 0; i < Math.min(position, text.length); i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.expectingKey) top.key = safeParse(text.slice(i, end + 1));
      i = end;
    } else if (c === '{') stack.push({ kind: 'object', index: 0, expectingKey: true });
    else if (c === '[') stack.push({ kind: 'array', index: 0, expectingKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ':' && top) top.expectingKey = false;
    else if (c === ',' && top) {
      if (top.kind === 'array') top.index++;
      else top.expectingKey = true;
    }
  }
  return stack.flatMap((f): PropertyKey[] =>
    f.kind === 'array' ? [f.index] : f.key === undefined ? [] : [f.key],
  );
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

function safeParse(quoted: string): string {
  try {
    return String(JSON.parse(quoted));
  } catch {
    return quoted.slice(1, -1);
  }
}

/** Parses JSON, or says where and why it is broken. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; path: string; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? text.length);
    return { ok: false, path: formatPath(jsonPathAt(text, position)), reason: `invalid JSON: ${message}` };
  }
}
