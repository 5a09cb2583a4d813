/** Configuration: `comfyrelay.config.yaml` + environment, validated with zod at start-up. */
export { ENV_VARS, type Env, envOverrides } from './env.ts';
export { type ConfigError, type ConfigIssue, formatConfigError } from './errors.ts';
export { DEFAULT_CONFIG_FILE, type LoadOptions, loadConfig } from './load.ts';
export { redactConfig } from './redact.ts';
export {
  type BackendConfig,
  type Config,
  type ConfigInput,
  configJsonSchema,
  configSchema,
} from './schema.ts';
