import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the project root, where the recorded ComfyUI traces live (CI has it too). */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');

export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`missing shared file ${p}: ../shared must sit beside the project root`);
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
  return JSON.parse(readFileSync(sharedPath('comfyui-traces', name), 'utf8')) as Trace;
}
