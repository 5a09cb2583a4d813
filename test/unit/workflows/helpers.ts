import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ObjectInfo } from '../../../src/workflows/object-info.ts';
import { OBJECT_INFO_PATH } from '../../helpers/fixtures.ts';
import type { ApiWorkflow, InputRef } from '../../../src/workflows/types.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/workflows/', import.meta.url));
export const SHIPPED = fileURLToPath(new URL('../../../workflows/', import.meta.url));

export function readFixture(name: string): ApiWorkflow {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as ApiWorkflow;
}

export function readObjectInfo(): ObjectInfo {
  return JSON.parse(readFileSync(OBJECT_INFO_PATH, 'utf8')) as ObjectInfo;
}

/** `'6.text 15.text'` → `[{node:'6',input:'text'}, {node:'15',input:'text'}]`. */
export function refs(spec: string): InputRef[] {
  return spec
    .split(' ')
    .filter(Boolean)
    .map((s) => {
      const dot = s.indexOf('.');
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
