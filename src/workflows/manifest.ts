import { parseDocument } from 'yaml';
import { err, ok, type Result } from '#shared/result.ts';
import type { GraphProblem } from './api-format.ts';
import { parseJson } from './json-path.ts';
import { boolean, type Check, list, nodeId, number, oneOf, record, scalar, strict, text } from './shape.ts';

export interface Localized {
  en: string;
  zh?: string;
}

/** Where a parameter goes: a node id, or a node title (every node with that title), plus an input name. */
export interface ManifestTarget {
  node?: string;
  title?: string;
  input: string;
}

export interface ManifestParameter {
  targets?: ManifestTarget[];
  kind?: 'text' | 'int' | 'float' | 'boolean' | 'choice' | 'image';
  default?: string | number | boolean;
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
  description?: Localized;
  user?: boolean;
}

const FAMILIES = ['sd15', 'sdxl', 'flux', 'sd3', 'other'] as const;

/**
 * A model slot: where the file is named (a loader found by discovery is enough), what it is and its family.
 * `checkpoint: { family: sd15 }` overrides a found slot; `refiner: { node: "12" }` declares one.
 */
export interface ManifestModelSlot {
  node?: string;
  title?: string;
  input?: string;
  kind?: 'checkpoint' | 'diffusion_model' | 'vae' | 'text_encoder' | 'upscale_model';
  family?: (typeof FAMILIES)[number];
  default?: string;
}

export interface Manifest {
  name?: string;
  description?: Localized;
  tags: string[];
  family?: (typeof FAMILIES)[number];
  /** Output node ids to deliver; default all. */
  outputs?: string[];
  /** Fill parameters the manifest leaves out by walking the graph; default true. */
  discover: boolean;
  parameters: Record<string, ManifestParameter>;
  /** Model slots: overrides of the ones discovery finds, or new ones. */
  models: Record<string, ManifestModelSlot>;
}

const localized = strict({ en: text(), zh: text() }, (l) =>
  l.en === undefined ? 'needs "en"' : undefined,
) as Check<Localized>;

const target = strict({ node: nodeId, title: text(), input: text() }, (t) =>
  t.input === undefined
    ? 'needs "input"'
    : (t.node === undefined) === (t.title === undefined)
      ? 'give exactly one of node or title'
      : undefined,
) as Check<ManifestTarget>;

const parameter = strict({
  targets: list(target, 1),
  kind: oneOf(['text', 'int', 'float', 'boolean', 'choice', 'image']),
  default: scalar,
  min: number(),
  max: number(),
  step: number('positive'),
  choices: list(text(), 1),
  description: localized,
  user: boolean,
}) as Check<ManifestParameter>;

const modelSlot = strict(
  {
    node: nodeId,
    title: text(),
    input: text(),
    kind: oneOf(['checkpoint', 'diffusion_model', 'vae', 'text_encoder', 'upscale_model']),
    family: oneOf(FAMILIES),
    default: text(),
  },
  (s) => (s.node !== undefined && s.title !== undefined ? 'give node or title, not both' : undefined),
) as Check<ManifestModelSlot>;

const SNAKE = /^[a-z][a-z0-9_]*$/;

const manifest = strict({
  name: text(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  description: localized,
  tags: list(text()),
  family: oneOf(FAMILIES),
  outputs: list(nodeId, 1),
  discover: boolean,
  parameters: record(SNAKE, 'lower_snake_case', parameter),
  models: record(SNAKE, 'lower_snake_case', modelSlot),
});

/** Parses a `.manifest.yaml` or `.manifest.json`; every problem names its path inside the file. */
export function parseManifest(source: string, format: 'yaml' | 'json'): Result<Manifest, GraphProblem[]> {
  const raw = format === 'json' ? parseJson(source) : parseYaml(source);
  if (!raw.ok) return err([{ path: raw.path, reason: raw.reason }]);
  const problems: GraphProblem[] = [];
  const m = manifest(raw.value ?? {}, [], problems);
  if (!m) return err(problems);
  return ok({ tags: [], discover: true, parameters: {}, models: {}, ...m });
}

function parseYaml(
  source: string,
): { ok: true; value: unknown } | { ok: false; path: string; reason: string } {
  const doc = parseDocument(source);
  const first = doc.errors[0];
  if (first) return { ok: false, path: '$', reason: `invalid YAML: ${first.message.split('\n')[0]}` };
  return { ok: true, value: doc.toJS() };
}
