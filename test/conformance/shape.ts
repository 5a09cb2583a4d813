// Compares the SHAPE of two JSON values: key structure and value types, recursively; values are free.

export type Mismatch = { path: string; expected: string; actual: string };

const ID_KEY = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Objects keyed by node ids or prompt ids are maps: their key sets vary, their values share a shape. */
export function isIdMap(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => ID_KEY.test(k));
}

/** A canonical description of a shape, e.g. `{a:number,b:[string]}`; maps collapse to `map<...>`. */
export function shapeKey(v: unknown): string {
  const k = kind(v);
  if (k === 'array') {
    const items = [...new Set((v as unknown[]).map(shapeKey))];
    return `[${items.join('|')}]`;
  }
  if (k !== 'object') return k;
  const o = v as Record<string, unknown>;
  if (isIdMap(o)) return `map<${[...new Set(Object.values(o).map(shapeKey))].join('|')}>`;
  return `{${Object.keys(o)
    .sort()
    .map((key) => `${key}:${shapeKey(o[key])}`)
    .join(',')}}`;
}

function anyMatches(candidates: unknown[], actual: unknown, path: string): Mismatch[] {
  let best: Mismatch[] | undefined;
  for (const c of candidates) {
    const m = compareShape(c, actual, path);
    if (m.length === 0) return [];
    if (!best || m.length < best.length) best = m;
  }
  return best ?? [];
}

/**
 * Mismatches between `expected` (recorded) and `actual`. Arrays of equal length compare position by
 * position; otherwise a homogeneous recorded array constrains every actual element. Id-keyed maps compare
 * each actual value against the recorded values' shapes. Records must have the same keys.
 */
export function compareShape(expected: unknown, actual: unknown, path = '$'): Mismatch[] {
  const ek = kind(expected);
  const ak = kind(actual);
  if (ek !== ak) return [{ path, expected: shapeKey(expected), actual: shapeKey(actual) }];
  if (ek === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === a.length) return e.flatMap((x, i) => compareShape(x, a[i], `${path}[${i}]`));
    const kinds = new Set(e.map(shapeKey));
    if (kinds.size > 1) {
      return [
        { path, expected: `${e.length} items ${shapeKey(e)}`, actual: `${a.length} items ${shapeKey(a)}` },
      ];
    }
    if (e.length === 0) return [];
    return a.flatMap((x, i) => compareShape(e[0], x, `${path}[${i}]`));
  }
  if (ek !== 'object') return [];
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  if (isIdMap(e) && (isIdMap(a) || Object.keys(a).length === 0)) {
    const candidates = Object.values(e);
    return Object.entries(a).flatMap(([k, v]) => anyMatches(candidates, v, `${path}.${k}`));
  }
  const out: Mismatch[] = [];
  for (const key of Object.keys(e)) {
    if (!(key in a)) out.push({ path: `${path}.${key}`, expected: shapeKey(e[key]), actual: 'missing' });
    else out.push(...compareShape(e[key], a[key], `${path}.${key}`));
  }
  for (const key of Object.keys(a)) {
    if (!(key in e)) out.push({ path: `${path}.${key}`, expected: 'missing', actual: shapeKey(a[key]) });
  }
  return out;
}

export function formatMismatches(ms: Mismatch[]): string {
  return ms.map((m) => `${m.path}: expected ${m.expected}, got ${m.actual}`).join('\n');
}
