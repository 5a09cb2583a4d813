/** Configuration: `comfyrelay.config.yaml` + environment, validated with zod at start-up. */
export { ENV_VARS, type Env, type EnvBinding, type EnvKind, envOverrides, envVars } from './env.ts';
export { type ConfigError, type ConfigIssue, formatConfigError } from './errors.ts';
export { DEFAULT_CONFIG_FILE, type LoadOptions, loadConfig } from './load.ts';
export type {
  ConfigPlatform,
  ConfigSection,
  PlatformSections,
  PlatformTierMatchKeys,
} from './platform-config.ts';
export { redactConfig } from './redact.ts';
export {
  type AdminLists,
  type BackendConfig,
  buildConfigSchema,
  type Config,
  type ConfigInput,
  type ConfigSchema,
  configJsonSchema,
  configSchema,
  type TierMatch,
} from './schema.ts';
