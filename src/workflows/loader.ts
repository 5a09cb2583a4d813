import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseJson } from './json-path.ts';
import type { LoadError } from './load-error.ts';
import { type Manifest, parseManifest } from './manifest.ts';
import type { ObjectInfo } from './object-info.ts';
import { readWorkflow } from './read-workflow.ts';
import { buildTemplate } from './template.ts';
import type { WorkflowTemplate } from './types.ts';

export interface LoadedTemplates {
  templates: WorkflowTemplate[];
  errors: LoadError[];
}

const MANIFEST_SUFFIXES = ['.manifest.yaml', '.manifest.yml', '.manifest.json'] as const;

/**
 * Loads every `<name>.json` in `dir` (API or UI format, see `readWorkflow`) with its optional
 * `<name>.manifest.{yaml,yml,json}`. A broken file is reported (file, JSON path, reason) and skipped; the
 * other templates still load. UI-format files need `objectInfo` to name their widget values.
 */
export async function loadTemplates(
  dir: string,
  opts: { objectInfo?: ObjectInfo } = {},
): Promise<LoadedTemplates> {
  const files = (await readdir(dir)).sort();
  const isManifest = (f: string) => MANIFEST_SUFFIXES.some((s) => f.endsWith(s));
  const graphs = files.filter((f) => f.endsWith('.json') && !isManifest(f));
  const result: LoadedTemplates = { templates: [], errors: [] };
  for (const f of files.filter(isManifest)) {
    const base = f.slice(0, f.lastIndexOf('.manifest.'));
    if (!graphs.includes(`${base}.json`)) {
      result.errors.push({
        file: join(dir, f),
        path: '$',
        reason: `no workflow ${base}.json beside this manifest`,
      });
    }
  }
  for (const f of graphs) {
    const loaded = await loadOne(dir, f, files, opts.objectInfo);
    if (!loaded.ok) {
      result.errors.push(...loaded.errors);
      continue;
    }
    const { template } = loaded;
    if (result.templates.some((t) => t.name === template.name)) {
      result.errors.push({
        file: template.file,
        path: '$.name',
        reason: `another template is already named "${template.name}"`,
      });
      continue;
    }
    result.templates.push(template);
  }
  return result;
}

type Loaded = { ok: true; template: WorkflowTemplate } | { ok: false; errors: LoadError[] };

async function loadOne(dir: string, file: string, files: string[], objectInfo?: ObjectInfo): Promise<Loaded> {
  const graphFile = join(dir, file);
  const name = basename(file, '.json');
  const parsed = parseJson(await readFile(graphFile, 'utf8'));
  if (!parsed.ok)
    return { ok: false, errors: [{ file: graphFile, path: parsed.path, reason: parsed.reason }] };
  const read = readWorkflow(parsed.value, objectInfo);
  if (!read.ok) return { ok: false, errors: read.error.map((p) => ({ file: graphFile, ...p })) };

  const manifestNames = MANIFEST_SUFFIXES.map((s) => name + s).filter((m) => files.includes(m));
  if (manifestNames.length > 1) {
    return {
      ok: false,
      errors: [{ file: graphFile, path: '$', reason: `several manifests: ${manifestNames.join(', ')}` }],
    };
  }
  const manifestName = manifestNames[0];
  const manifestFile = manifestName ? join(dir, manifestName) : undefined;
  let manifest: Manifest | undefined;
  if (manifestFile) {
    const format = manifestFile.endsWith('.json') ? 'json' : 'yaml';
    const m = parseManifest(await readFile(manifestFile, 'utf8'), format);
    if (!m.ok) return { ok: false, errors: m.error.map((p) => ({ file: manifestFile, ...p })) };
    manifest = m.value;
  }
  const built = buildTemplate({ name, file: graphFile, graph: read.value.graph, manifest, objectInfo });
  if (built.ok) {
    const warnings = [...read.value.warnings, ...(built.value.warnings ?? [])];
    return { ok: true, template: { ...built.value, warnings } };
  }
  return { ok: false, errors: built.error.map((p) => ({ file: manifestFile ?? graphFile, ...p })) };
}
