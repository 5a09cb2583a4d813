import { type Config, formatConfigError, loadConfig } from '../config/index.ts';
import type { Result } from '../core/result.ts';
import { err, ok } from '../core/result.ts';
import { Exit, type CliIo } from './io.ts';

/** Loads the configuration, or prints every problem with it and gives the exit code (2). */
export function loadCliConfig(io: CliIo, file: string | undefined): Result<Config, number> {
  const loaded = loadConfig({ file, env: io.env, cwd: io.cwd });
  if (loaded.ok) return ok(loaded.value);
  io.err(formatConfigError(loaded.error, io.locale()));
  return err(Exit.usage);
}
