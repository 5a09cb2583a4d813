import { nearest } from '#shared/nearest.ts';

export type ModelFileMatch =
  | { kind: 'found'; file: string }
  | { kind: 'ambiguous'; files: string[] }
  | { kind: 'none'; suggestion?: string };

const EXTENSIONS = /\.(safetensors|sft|ckpt|pt|pth|bin|gguf)$/;

const lower = (s: string) => s.trim().toLowerCase().replaceAll('\\', '/');
const baseOf = (s: string) => s.slice(s.lastIndexOf('/') + 1);
const stemOf = (s: string) => s.replace(EXTENSIONS, '');
/** Letters and digits only: `DreamShaper 8` and `dreamshaper_8` meet at `dreamshaper8`. */
const looseOf = (s: string) => stemOf(baseOf(s)).replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * The installed file a person means by `value`, most exact first: the whole name (with its folder), the
 * name without folder, either without extension (`dreamshaper_8`), the letters and digits alone
 * (`DreamShaper 8`), then a unique start (`juggernaut`) or part of the name. Case never matters. Two
 * files at the same level are ambiguous; no match gives the nearest name as a suggestion.
 */
export function findModelFile(value: string, files: readonly string[]): ModelFileMatch {
  const v = lower(value);
  if (v === '') return { kind: 'none' };
  const named = files.map((file) => ({ file, name: lower(file) }));
  const levels: ((f: { name: string }) => boolean)[] = [
    (f) => f.name === v,
    (f) => baseOf(f.name) === v,
    (f) => stemOf(f.name) === stemOf(v) || stemOf(baseOf(f.name)) === stemOf(v),
    (f) => looseOf(f.name) === looseOf(v) && looseOf(v) !== '',
    (f) => looseOf(v).length >= 3 && looseOf(f.name).startsWith(looseOf(v)),
    (f) => looseOf(v).length >= 3 && looseOf(f.name).includes(looseOf(v)),
  ];
  for (const level of levels) {
    const hits = [...new Set(named.filter(level).map((f) => f.file))];
    if (hits.length === 1) return { kind: 'found', file: hits[0]! };
    if (hits.length > 1) return { kind: 'ambiguous', files: hits.sort() };
  }
  const byStem = new Map(files.map((f) => [stemOf(baseOf(lower(f))), f]));
  const near = nearest(stemOf(baseOf(v)), byStem.keys());
  return near === undefined ? { kind: 'none' } : { kind: 'none', suggestion: byStem.get(near) };
}
