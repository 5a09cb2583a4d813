import type { Config } from '../config/index.ts';
import { API_KEY_VARS } from '../core/ports/backend-status.ts';
import type { Env } from './locale.ts';

/**
 * A `comfy-api-v2` backend with no key in the file gets the run's COMFY_API_KEY: the engine would read the
 * process's environment, not the one this run was given.
 */
export function withRunApiKeys(config: Config, env: Env): Config {
  const key = API_KEY_VARS.map((name) => env[name]?.trim()).find((v) => v);
  if (!key) return config;
  const backends = config.backends.map((b) =>
    b.kind === 'comfy-api-v2' && !b.apiKey ? { ...b, apiKey: key } : b,
  );
  return { ...config, backends };
}
