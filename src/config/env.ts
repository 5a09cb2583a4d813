import type { ConfigPlatform } from './platform-config.ts';

/**
 * Environment variables that override the file. The first name listed wins; empty values are ignored
 * (as `docker compose` leaves `DISCORD_TOKEN=` unset). Values are converted here and checked by the
 * schema afterwards, so a bad one is reported with the variable's name. Each platform declares the
 * variables of its own section in its descriptor (`src/adapters/<platform>/module.ts`).
 *
 * | variable(s)                                        | key                       | format                  |
 * |----------------------------------------------------|---------------------------|-------------------------|
 * | COMFYRELAY_CONFIG                                  | (path of the YAML file)   |                         |
 * | COMFYRELAY_COMFYUI_URL, COMFYUI_URL                | backends (replaces list)  | `url` or `name=url`, comma/space separated |
 * | COMFYRELAY_REDIS_URL                               | storage.redisUrl          |                         |
 * | COMFYRELAY_DATA_DIR / COMFYRELAY_WORKFLOWS_DIR     | dataDir / workflowsDir    | relative to the cwd     |
 * | COMFYRELAY_LOG_LEVEL / COMFYRELAY_LOCALE           | logLevel / locale         |                         |
 * | COMFYRELAY_COMFY_ORG_API_KEY, COMFY_ORG_API_KEY    | comfyOrgApiKey            |                         |
 * | COMFYRELAY_<PLATFORM>_ADMINS (each platform)       | quotas.admins.<platform>  | ids, comma/space separated |
 */
export type Env = Record<string, string | undefined>;

export type EnvKind = 'string' | 'number' | 'list' | 'backends';

/** One override: the variable's names (first set one wins), the key it sets, how its text is read. */
export interface EnvBinding {
  names: readonly string[];
  path: readonly string[];
  kind: EnvKind;
}

/** The variables of the core keys. */
export const ENV_VARS: readonly EnvBinding[] = [
  { names: ['COMFYRELAY_COMFYUI_URL', 'COMFYUI_URL'], path: ['backends'], kind: 'backends' },
  { names: ['COMFYRELAY_REDIS_URL'], path: ['storage', 'redisUrl'], kind: 'string' },
  { names: ['COMFYRELAY_DATA_DIR'], path: ['dataDir'], kind: 'string' },
  { names: ['COMFYRELAY_WORKFLOWS_DIR'], path: ['workflowsDir'], kind: 'string' },
  { names: ['COMFYRELAY_LOG_LEVEL'], path: ['logLevel'], kind: 'string' },
  { names: ['COMFYRELAY_LOCALE'], path: ['locale'], kind: 'string' },
  { names: ['COMFYRELAY_COMFY_ORG_API_KEY', 'COMFY_ORG_API_KEY'], path: ['comfyOrgApiKey'], kind: 'string' },
];

/** Every variable read with these platforms: the core ones, each section's, each platform's admin list. */
export function envVars(platforms: readonly ConfigPlatform[]): EnvBinding[] {
  return [
    ...ENV_VARS,
    ...platforms.flatMap((p) => [
      ...(p.configSection?.env ?? []).map((v) => ({ ...v, path: [p.configSection!.key, ...v.path] })),
      {
        names: [`COMFYRELAY_${envName(p.name)}_ADMINS`],
        path: ['quotas', 'admins', p.name],
        kind: 'list' as const,
      },
    ]),
  ];
}

/** `my-chat` → `MY_CHAT` */
function envName(platform: string): string {
  return platform.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export interface EnvOverrides {
  /** A partial configuration object to merge over the file. */
  values: Record<string, unknown>;
  /** Dotted key path → the variable it came from, for error messages. */
  sources: Map<string, string>;
}

export function envOverrides(env: Env, platforms: readonly ConfigPlatform[] = []): EnvOverrides {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const v of envVars(platforms)) {
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

function convert(kind: EnvKind, text: string): unknown {
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
