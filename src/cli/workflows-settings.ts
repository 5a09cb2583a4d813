import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Locale } from '#shared/i18n.ts';
import { ok, type Result } from '#shared/result.ts';
import type { CliIo } from './io.ts';

// `comfyrelay workflows` needs two keys of the configuration: where the templates are and the language.
// Validating the whole file (its schema, the platforms' sections) costs more at start than listing the
// templates, so those two are read directly, resolved exactly as `loadConfig` resolves them
// (test/unit/cli/workflows-settings.test.ts compares both). Anything unexpected — a file that does not
// parse, a value of the wrong type — goes through the full loader, whose messages explain it.

/** What `src/config/load.ts` reads when no file is named (`DEFAULT_CONFIG_FILE` there). */
const DEFAULT_FILE = 'comfyrelay.config.yaml';
const DEFAULT_WORKFLOWS_DIR = './workflows';
const LOCALES: readonly string[] = ['en', 'zh'];

export interface WorkflowsSettings {
  /** Absolute. */
  workflowsDir: string;
  locale: Locale;
}

/** `workflowsDir` and `locale` from defaults ← file ← environment; an error as `loadCliConfig` words it. */
export async function workflowsSettings(
  io: CliIo,
  file: string | undefined,
): Promise<Result<WorkflowsSettings, string>> {
  const env = (name: string) => io.env[name]?.trim() || undefined;
  const explicit = file ?? env('COMFYRELAY_CONFIG');
  const path = resolve(io.cwd, explicit ?? DEFAULT_FILE);
  const fromFile = explicit !== undefined || existsSync(path) ? await readMapping(path) : {};
  const dirInFile = fromFile?.['workflowsDir'];
  const localeInFile = fromFile?.['locale'];
  const plain =
    fromFile !== undefined &&
    (dirInFile === undefined || (typeof dirInFile === 'string' && dirInFile !== '')) &&
    (localeInFile === undefined || LOCALES.includes(localeInFile as string)) &&
    (env('COMFYRELAY_LOCALE') === undefined || LOCALES.includes(env('COMFYRELAY_LOCALE') as string));
  if (!plain) return fullLoad(io, file);
  const envDir = env('COMFYRELAY_WORKFLOWS_DIR');
  const workflowsDir =
    envDir !== undefined
      ? absolute(io.cwd, envDir)
      : typeof dirInFile === 'string'
        ? absolute(dirname(path), dirInFile)
        : absolute(io.cwd, DEFAULT_WORKFLOWS_DIR);
  const locale = (env('COMFYRELAY_LOCALE') ?? (localeInFile as string | undefined) ?? 'en') as Locale;
  return ok({ workflowsDir, locale });
}

/** The file as a mapping, or undefined when it cannot be read as one (the full loader says why). */
async function readMapping(path: string): Promise<Record<string, unknown> | undefined> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return undefined;
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

async function fullLoad(io: CliIo, file: string | undefined): Promise<Result<WorkflowsSettings, string>> {
  const withPlatforms =
    io.platforms || !io.loadPlatforms ? io : { ...io, platforms: await io.loadPlatforms() };
  const { loadCliConfig } = await import('./config.ts');
  const config = loadCliConfig(withPlatforms, file);
  if (!config.ok) return config;
  return ok({ workflowsDir: config.value.workflowsDir, locale: config.value.locale });
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
