/**
 * Environment variables that override the file. The first name listed wins; empty values are ignored
 * (as `docker compose` leaves `DISCORD_TOKEN=` unset). Values are converted here and checked by the
 * schema afterwards, so a bad one is reported with the variable's name.
 *
 * | variable(s)                                        | key                       | format                  |
 * |----------------------------------------------------|---------------------------|-------------------------|
 * | COMFYRELAY_CONFIG                                  | (path of the YAML file)   |                         |
 * | COMFYRELAY_COMFYUI_URL, COMFYUI_URL                | backends (replaces list)  | `url` or `name=url`, comma/space separated |
 * | COMFYRELAY_DISCORD_TOKEN, DISCORD_TOKEN            | discord.token             |                         |
 * | COMFYRELAY_DISCORD_APPLICATION_ID, DISCORD_APPLICATION_ID | discord.applicationId |                     |
 * | COMFYRELAY_DISCORD_GUILD_ID                        | discord.guildId           |                         |
 * | COMFYRELAY_TELEGRAM_TOKEN, TELEGRAM_BOT_TOKEN      | telegram.token            |                         |
 * | COMFYRELAY_REDIS_URL                               | storage.redisUrl          |                         |
 * | COMFYRELAY_HTTP_HOST / COMFYRELAY_HTTP_PORT        | http.host / http.port     | port: number            |
 * | COMFYRELAY_PUBLIC_URL / COMFYRELAY_METRICS_KEY     | http.publicUrl / http.metricsKey |                  |
 * | COMFYRELAY_DATA_DIR / COMFYRELAY_WORKFLOWS_DIR     | dataDir / workflowsDir    | relative to the cwd     |
 * | COMFYRELAY_LOG_LEVEL / COMFYRELAY_LOCALE           | logLevel / locale         |                         |
 * | COMFYRELAY_COMFY_ORG_API_KEY, COMFY_ORG_API_KEY    | comfyOrgApiKey            |                         |
 * | COMFYRELAY_DISCORD_ADMINS / COMFYRELAY_TELEGRAM_ADMINS | quotas.admins.discord / .telegram | ids, comma/space separated |
 */
export type Env = Record<string, string | undefined>;

type Kind = 'string' | 'number' | 'list' | 'backends';

interface EnvVar {
  names: readonly string[];
  path: readonly string[];
  kind: Kind;
}

export const ENV_VARS: readonly EnvVar[] = [
  { names: ['COMFYRELAY_COMFYUI_URL', 'COMFYUI_URL'], path: ['backends'], kind: 'backends' },
  { names: ['COMFYRELAY_DISCORD_TOKEN', 'DISCORD_TOKEN'], path: ['discord', 'token'], kind: 'string' },
  {
    names: ['COMFYRELAY_DISCORD_APPLICATION_ID', 'DISCORD_APPLICATION_ID'],
    path: ['discord', 'applicationId'],
    kind: 'string',
  },
  { names: ['COMFYRELAY_DISCORD_GUILD_ID'], path: ['discord', 'guildId'], kind: 'string' },
  { names: ['COMFYRELAY_TELEGRAM_TOKEN', 'TELEGRAM_BOT_TOKEN'], path: ['telegram', 'token'], kind: 'string' },
  { names: ['COMFYRELAY_REDIS_URL'], path: ['storage', 'redisUrl'], kind: 'string' },
  { names: ['COMFYRELAY_HTTP_HOST'], path: ['http', 'host'], kind: 'string' },
  { names: ['COMFYRELAY_HTTP_PORT'], path: ['http', 'port'], kind: 'number' },
  { names: ['COMFYRELAY_PUBLIC_URL'], path: ['http', 'publicUrl'], kind: 'string' },
  { names: ['COMFYRELAY_METRICS_KEY'], path: ['http', 'metricsKey'], kind: 'string' },
  { names: ['COMFYRELAY_DATA_DIR'], path: ['dataDir'], kind: 'string' },
  { names: ['COMFYRELAY_WORKFLOWS_DIR'], path: ['workflowsDir'], kind: 'string' },
  { names: ['COMFYRELAY_LOG_LEVEL'], path: ['logLevel'], kind: 'string' },
  { names: ['COMFYRELAY_LOCALE'], path: ['locale'], kind: 'string' },
  { names: ['COMFYRELAY_COMFY_ORG_API_KEY', 'COMFY_ORG_API_KEY'], path: ['comfyOrgApiKey'], kind: 'string' },
  { names: ['COMFYRELAY_DISCORD_ADMINS'], path: ['quotas', 'admins', 'discord'], kind: 'list' },
  { names: ['COMFYRELAY_TELEGRAM_ADMINS'], path: ['quotas', 'admins', 'telegram'], kind: 'list' },
];

export interface EnvOverrides {
  /** A partial configuration object to merge over the file. */
  values: Record<string, unknown>;
  /** Dotted key path → the variable it came from, for error messages. */
  sources: Map<string, string>;
}

export function envOverrides(env: Env): EnvOverrides {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const v of ENV_VARS) {
    const name = v.names.find((n) => (env[n] ?? '').trim() !== '');
    if (name === undefined) continue;
    setPath(values, v.path, convert(v.kind, (env[name] ?? '').trim()));
    sources.set(v.path.join('.'), name);
  }
  return { values, sources };
}

/** `a, b c` → `['a', 'b', 'c']` */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).filter((s) => s !== '');
}

function convert(kind: Kind, text: string): unknown {
  switch (kind) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'list':
      return splitList(text);
    case 'backends':
      return splitList(text).map((entry, i) => {
        const eq = /^([\w.-]+)=(.+)$/.exec(entry);
        return eq ? { name: eq[1], url: eq[2] } : { name: `comfyui-${i + 1}`, url: entry };
      });
    default:
      return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = next && typeof next === 'object' ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}
