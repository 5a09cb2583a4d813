import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ObjectInfo } from '../../../src/workflows/object-info.ts';
import { readWorkflow } from '../../../src/workflows/read-workflow.ts';
import { OBJECT_INFO_PATH } from '../../helpers/fixtures.ts';
import type { ApiWorkflow, InputRef } from '../../../src/workflows/types.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/workflows/', import.meta.url));
export const SHIPPED = fileURLToPath(new URL('../../../workflows/', import.meta.url));

/** Fixture files that are not workflows of their own. */
export const NOT_WORKFLOWS = new Set(['custom-object-info.json']);

/** The parsed JSON of `<name>.json` (or of `<name>.ui.json` when `name` ends in `.ui`). */
export function readFixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8'));
}

export function readFixture(name: string): ApiWorkflow {
  return readFixtureJson(name) as ApiWorkflow;
}

/** A fixture read as operators' files are: wrappers unwrapped, stray keys skipped, UI format converted. */
export function readFixtureGraph(name: string, objectInfo?: ObjectInfo): ApiWorkflow {
  const read = readWorkflow(readFixtureJson(name), objectInfo);
  assert.ok(read.ok, JSON.stringify(!read.ok && read.error));
  return read.value.graph;
}

/** The /object_info of the recorded ComfyUI 0.3.64 server (stock nodes only). */
export function readObjectInfo(): ObjectInfo {
  return JSON.parse(readFileSync(OBJECT_INFO_PATH, 'utf8')) as ObjectInfo;
}

/** Definitions of the custom nodes the fixtures use, in the real /object_info shape. */
export function readCustomObjectInfo(): ObjectInfo {
  return readFixtureJson('custom-object-info') as ObjectInfo;
}

/** What a server with those custom node packs installed would answer. */
export function readAllObjectInfo(): ObjectInfo {
  return { ...readObjectInfo(), ...readCustomObjectInfo() };
}

/** `'6.text 15.text'` → `[{node:'6',input:'text'}, {node:'15',input:'text'}]`. */
export function refs(spec: string): InputRef[] {
  return spec
    .split(' ')
    .filter(Boolean)
    .map((s) => {
      const dot = s.lastIndexOf('.');
      return { node: s.slice(0, dot), input: s.slice(dot + 1) };
    });
}

/** Every input of `after` equals `before`, except the listed places and `filename_prefix`. */
export function changedInputs(before: ApiWorkflow, after: ApiWorkflow): string[] {
  const changed: string[] = [];
  for (const [id, node] of Object.entries(after)) {
    for (const [input, value] of Object.entries(node.inputs)) {
      if (JSON.stringify(before[id]?.inputs[input]) !== JSON.stringify(value)) changed.push(`${id}.${input}`);
    }
  }
  return changed.sort();
}
