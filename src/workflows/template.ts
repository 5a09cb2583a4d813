import { err, ok, type Result } from '#shared/result.ts';
import type { GraphProblem } from './api-format.ts';
import { defaultSpec } from './default-specs.ts';
import { DISCOVERED_NAMES, discoverParameters } from './discover.ts';
import { guessFamily } from './family.ts';
import { asLink, nodeIdsWithTitle } from './graph.ts';
import { formatPath } from './json-path.ts';
import type { Manifest, ManifestParameter, ManifestTarget } from './manifest.ts';
import type { ObjectInfo } from './object-info.ts';
import { validateParamValue } from './param-values.ts';
import { templateSlots } from './template-slots.ts';
import type { ApiWorkflow, InputRef, ParamSpec, WorkflowTemplate } from './types.ts';

export interface TemplateSource {
  /** Base name of the file, the template's name unless the manifest gives one. */
  name: string;
  file: string;
  graph: ApiWorkflow;
  manifest?: Manifest;
  objectInfo?: ObjectInfo;
}

/** Paths point into the manifest when there is one, otherwise into the workflow file. */
export type TemplateProblem = GraphProblem;

/**
 * Discovered parameters, overridden and extended by the manifest's. Every manifest target must exist in
 * the graph, every default must satisfy its own bounds, and a template needs a `prompt` (or, for
 * image-only templates such as upscalers, an `image`).
 */
export function buildTemplate(source: TemplateSource): Result<WorkflowTemplate, TemplateProblem[]> {
  const { graph, manifest } = source;
  const discovery = discoverParameters(graph, source.objectInfo);
  const params: Record<string, ParamSpec> = {};
  if (manifest?.discover !== false) {
    for (const name of DISCOVERED_NAMES) {
      const found = discovery.bindings[name];
      if (found.length > 0) params[name] = defaultSpec(name, found, graph, source.objectInfo);
    }
  }
  const problems: TemplateProblem[] = [];
  for (const [name, declared] of Object.entries(manifest?.parameters ?? {})) {
    const merged = mergeParameter(graph, name, declared, params[name]);
    if (merged.ok) params[name] = merged.value;
    else problems.push(...merged.error);
  }
  if (!params['prompt'] && !params['image']) {
    problems.push({
      path: manifest ? '$.parameters' : '$',
      reason: 'no prompt (or image) parameter declared or discovered',
    });
  }
  for (const [i, id] of (manifest?.outputs ?? []).entries()) {
    if (!graph[id]) problems.push({ path: formatPath(['outputs', i]), reason: `node ${id} does not exist` });
  }
  const family = manifest?.family ?? guessFamily(graph);
  const main = discovery.bindings.checkpoint;
  const declared = manifest?.models ?? {};
  const slots = templateSlots({ graph, family, main, params, declared });
  if (!slots.ok) problems.push(...slots.error);
  if (problems.length > 0 || !slots.ok) return err(problems);
  const template: WorkflowTemplate = {
    name: manifest?.name ?? source.name,
    description: manifest?.description ?? { en: source.name },
    tags: manifest?.tags ?? [],
    family,
    file: source.file,
    graph,
    params,
    outputs: discovery.outputs,
    warnings: discovery.warnings,
    slots: slots.value,
  };
  if (manifest?.outputs) template.deliver = manifest.outputs;
  return ok(template);
}

function mergeParameter(
  graph: ApiWorkflow,
  name: string,
  declared: ManifestParameter,
  discovered: ParamSpec | undefined,
): Result<ParamSpec, TemplateProblem[]> {
  const at = (...rest: PropertyKey[]) => formatPath(['parameters', name, ...rest]);
  const problems: TemplateProblem[] = [];
  const targets: InputRef[] = [];
  for (const [i, t] of (declared.targets ?? []).entries()) {
    const resolved = resolveTarget(graph, t);
    if (resolved.ok) targets.push(...resolved.value);
    else problems.push({ path: at('targets', i), reason: resolved.error });
  }
  const kind = declared.kind ?? discovered?.kind;
  if (!kind)
    problems.push({ path: at('kind'), reason: 'kind is required for a parameter discovery does not know' });
  if (!declared.targets && !discovered) {
    problems.push({ path: at('targets'), reason: 'no targets given and none discovered in the graph' });
  }
  if (declared.min !== undefined && declared.max !== undefined && declared.min > declared.max) {
    problems.push({ path: at('min'), reason: `min ${declared.min} is above max ${declared.max}` });
  }
  if (problems.length > 0 || !kind) return err(problems);
  const spec: ParamSpec = {
    ...discovered,
    name,
    kind,
    userSettable: declared.user ?? discovered?.userSettable ?? false,
    targets: declared.targets ? targets : (discovered?.targets ?? []),
  };
  for (const key of ['description', 'default', 'min', 'max', 'step', 'choices'] as const) {
    if (declared[key] !== undefined) Object.assign(spec, { [key]: declared[key] });
  }
  if (kind !== 'choice') delete spec.choices;
  if (spec.default !== undefined) {
    const checked = validateParamValue(spec, spec.default);
    if (!checked.ok)
      return err([
        { path: at('default'), reason: `default is not valid: ${JSON.stringify(checked.error.params)}` },
      ]);
  }
  return ok(spec);
}

function resolveTarget(graph: ApiWorkflow, t: ManifestTarget): Result<InputRef[], string> {
  const ids = t.node !== undefined ? [t.node] : nodeIdsWithTitle(graph, t.title ?? '');
  if (ids.length === 0)
    return err(t.node !== undefined ? `node ${t.node} does not exist` : `no node titled "${t.title}"`);
  for (const id of ids) {
    const node = graph[id];
    if (!node) return err(`node ${id} does not exist`);
    if (!(t.input in node.inputs)) {
      return err(
        `${node.class_type}#${id} has no input "${t.input}" (inputs: ${Object.keys(node.inputs).join(', ')})`,
      );
    }
    if (asLink(node.inputs[t.input]))
      return err(`${node.class_type}#${id}.${t.input} is a link, not a value`);
  }
  return ok(ids.map((node) => ({ node, input: t.input })));
}
