import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Document, isMap, isSeq, parseDocument } from 'yaml';
import { err, ok, type Result } from '#shared/result.ts';

/** What `doctor --fix` adds to the `models:` section. */
export interface ModelChanges {
  /** `models.defaults.<template>.<slot>: <file>` */
  defaults: { template: string; slot: string; file: string }[];
  /** `models.families.<family>` gains `<file>` (once). */
  families: { family: string; file: string }[];
}

/**
 * Writes the changes into the YAML configuration file, keeping everything else as it was (comments,
 * order, quoting): the file is edited as a YAML document, not rewritten from the parsed values. A file
 * that does not exist yet is created with the `models:` section alone.
 */
export function writeModelChanges(file: string, changes: ModelChanges): Result<number, string> {
  let text = '';
  try {
    if (existsSync(file)) text = readFileSync(file, 'utf8');
  } catch (e) {
    return err((e as NodeJS.ErrnoException).code ?? String(e));
  }
  const doc: Document = parseDocument(text);
  if (doc.errors.length > 0) return err(doc.errors[0]?.message.split('\n')[0] ?? 'invalid YAML');
  if (doc.contents === null) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) return err('the file does not hold a mapping');
  for (const { template, slot, file: model } of changes.defaults) {
    const at = ['models', 'defaults', template];
    const ready = ensureMap(doc, at);
    if (!ready.ok) return ready;
    doc.setIn([...at, slot], model);
  }
  for (const { family, file: model } of changes.families) {
    const at = ['models', 'families', family];
    const ready = ensureMap(doc, at.slice(0, -1));
    if (!ready.ok) return ready;
    const list = doc.getIn(at, true);
    if (isSeq(list)) {
      if (!list.items.some((item) => String((item as { value?: unknown }).value ?? item) === model))
        list.add(model);
    } else doc.setIn(at, doc.createNode([model]));
  }
  try {
    writeFileSync(file, doc.toString());
  } catch (e) {
    return err((e as NodeJS.ErrnoException).code ?? String(e));
  }
  return ok(changes.defaults.length + changes.families.length);
}

/** Makes every key on the path a mapping, replacing an empty value (`models:` with nothing under it). */
function ensureMap(doc: Document, path: readonly string[]): Result<true, string> {
  for (let i = 1; i <= path.length; i++) {
    const at = path.slice(0, i);
    const node = doc.getIn(at, true);
    if (isMap(node)) continue;
    const value =
      node && typeof node === 'object' && 'value' in node ? (node as { value: unknown }).value : node;
    if (value !== null && value !== undefined) return err(`${at.join('.')} is not a mapping`);
    doc.setIn(at, doc.createNode({}));
  }
  return ok(true);
}
