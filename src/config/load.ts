import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { err, ok, type Result } from '#shared/result.ts';
import { type Env, envOverrides } from './env.ts';
import type { ConfigError } from './errors.ts';
import { toConfigIssues } from './errors.ts';
import { knownKeysIn } from './known-keys.ts';
import type { ConfigPlatform } from './platform-config.ts';
import { secretStrings } from './redact.ts';
import { buildConfigSchema, type Config, type ConfigSchema, configJsonSchema } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'comfyrelay.config.yaml';

export interface LoadOptions {
  /** Path of the YAML file; else `COMFYRELAY_CONFIG`; else `comfyrelay.config.yaml` in `cwd` if present. */
  file?: string;
  /** Defaults to `process.env`. */
  env?: Env;
  /** Defaults to `process.cwd()`. */
  cwd?: string;
  /** The platforms whose sections, env vars, admin lists and tier `match:` keys the file may use. */
  platforms?: readonly ConfigPlatform[];
}

/**
 * Reads defaults ← file ← environment, validates once, and returns the configuration or every problem.
 * No file at all is fine (defaults: one backend at http://127.0.0.1:8188); a file that was asked for
 * explicitly must exist. `workflowsDir`/`dataDir` from the file are relative to the file's folder,
 * from the environment or defaults relative to `cwd`; both come back absolute.
 */
export function loadConfig(options: LoadOptions = {}): Result<Config, ConfigError> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? (env['COMFYRELAY_CONFIG']?.trim() || undefined);
  const file = resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  let fromFile: Record<string, unknown> = {};
  if (explicit !== undefined || existsSync(file)) {
    const read = readYaml(file);
    if (!read.ok) return read;
    fromFile = read.value;
  }
  const platforms = options.platforms ?? NO_PLATFORMS;
  const overrides = envOverrides(env, platforms);
  const input = merge(fromFile, overrides.values);
  const schema = schemaFor(platforms);
  const parsed = schema.safeParse(input);
  const shownFile = explicit !== undefined || existsSync(file) ? file : undefined;
  if (!parsed.success) {
    const issues = toConfigIssues(
      parsed.error.issues,
      input,
      overrides.sources,
      secretStrings(input),
      knownKeysIn(configJsonSchema(schema)),
    );
    return err({ kind: 'invalid', ...(shownFile ? { file: shownFile } : {}), issues });
  }
  const config = parsed.data;
  const base = (key: string) => (key in fromFile && !overrides.sources.has(key) ? dirname(file) : cwd);
  config.workflowsDir = absolute(base('workflowsDir'), config.workflowsDir);
  config.dataDir = absolute(base('dataDir'), config.dataDir);
  // Only the file sets it: relative to the file's folder, like `dataDir`.
  if (config.storage.blobsDir) config.storage.blobsDir = absolute(dirname(file), config.storage.blobsDir);
  return ok(config);
}

const NO_PLATFORMS: readonly ConfigPlatform[] = [];
const schemas = new WeakMap<readonly ConfigPlatform[], ConfigSchema>();

/** One schema per platform list: a process loads with the same list each time. */
function schemaFor(platforms: readonly ConfigPlatform[]): ConfigSchema {
  const known = schemas.get(platforms);
  if (known) return known;
  const schema = buildConfigSchema(platforms);
  schemas.set(platforms, schema);
  return schema;
}

function readYaml(file: string): Result<Record<string, unknown>, ConfigError> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return err({ kind: 'unreadable', file, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
  }
  // Integers as BigInt first, so an unquoted 18-digit Discord id is not rounded by the parser.
  const doc = parseDocument(text, { intAsBigInt: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const reason = first.message.split('\n')[0] ?? first.code;
    return err({ kind: 'syntax', file, line: pos?.line ?? 0, column: pos?.col ?? 0, reason });
  }
  const value = normalize(doc.toJS());
  if (value === null || value === undefined) return ok({});
  if (typeof value !== 'object' || Array.isArray(value)) return err({ kind: 'not_mapping', file });
  return ok(value as Record<string, unknown>);
}

/**
 * Safe integers become numbers; larger ones strings (ids), which numeric keys then reject.
 * A key with nothing after it (`storage:` whose children are all commented out) counts as absent.
 */
function normalize(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== null);
    return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** Mappings merge key by key; lists and scalars from `over` replace those in `base`. */
export function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMapping(b) && isMapping(v) ? merge(b, v) : v;
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
