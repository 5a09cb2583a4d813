import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Data recorded from a real ComfyUI 0.3.64 server; see test/fixtures/comfyui/README.md. */
export const COMFYUI_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/comfyui/', import.meta.url));

/** One JSON file per recorded scenario. */
export const TRACES_DIR = join(COMFYUI_FIXTURES_DIR, 'traces');

/** That server's full `GET /object_info`. */
export const OBJECT_INFO_PATH = join(COMFYUI_FIXTURES_DIR, 'object-info.json');

/** A path under test/fixtures/comfyui; a missing file is an error, not an empty test. */
export function comfyuiFixturePath(...parts: string[]): string {
  const p = join(COMFYUI_FIXTURES_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`missing recorded ComfyUI fixture ${p}`);
  return p;
}

export interface TraceEvent {
  t_ms: number;
  kind: string;
  ws?: string;
  method?: string;
  path?: string;
  status?: number;
  body?: unknown;
  json?: unknown;
  data?: unknown;
  text?: boolean;
  [key: string]: unknown;
}

export interface Trace {
  scenario: string;
  description: string;
  events: TraceEvent[];
}

export function readTrace(name: string): Trace {
  return JSON.parse(readFileSync(comfyuiFixturePath('traces', name), 'utf8')) as Trace;
}
