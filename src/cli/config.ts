import { type Config, formatConfigError, loadConfig } from '../config/index.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { CliIo } from './io.ts';

/** Loads the configuration, or gives every problem with it as one message (exit code 2 for the caller). */
export function loadCliConfig(io: CliIo, file: string | undefined): Result<Config, string> {
  const loaded = loadConfig({ file, env: io.env, cwd: io.cwd, platforms: io.platforms });
  return loaded.ok ? ok(loaded.value) : err(formatConfigError(loaded.error, io.locale()));
}
