import { z } from 'zod';
import type {
  ConfigPlatform,
  PlatformSectionsInput,
  PlatformSectionsOutput,
  PlatformTierMatchKeys,
} from './platform-config.ts';
import { modelsSection } from './models-config.ts';
import { retentionSection } from './retention-config.ts';
import { backendSection as backend, withDefaultUrl } from './backend-config.ts';
import { safetySection } from './safety-config.ts';
import { positiveInt, seconds, userId } from './primitives.ts';

/**
 * The shape of `comfyrelay.config.yaml`, with every default: the core keys here, each platform's section
 * from its descriptor (`buildConfigSchema(platforms)`). Unknown keys are errors (a typo must not silently
 * fall back to a default). `comfyrelay.config.example.yaml` documents each key.
 */

const limitFields = {
  running: z.number().int().min(0),
  waiting: z.number().int().min(0),
  perWindow: z.number().int().min(0),
  windowSeconds: positiveInt,
  gpuSecondsPerWindow: z.number().min(0),
};
const partialLimits = z.strictObject(limitFields).partial();

/** `match:` keys any tier may use, whichever platforms run (API keys are the core's). */
const CORE_MATCH_KEYS = { apiKeyTier: z.string() };

function tier(platforms: readonly ConfigPlatform[]) {
  const keys = { ...Object.assign({}, ...platforms.map((p) => p.tierMatch?.keys ?? {})), ...CORE_MATCH_KEYS };
  const optional = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, (v as z.ZodType).optional()]));
  return z.strictObject({
    name: z.string().min(1),
    match: z.strictObject(optional).refine((m) => Object.keys(m).length > 0, {
      params: { expected: 'tier_match', keys: Object.keys(keys).join(', ') },
    }),
    priority: z.number().int().optional(),
    /** HTTP keys of this tier: unsafe outputs get at least this (`blur` or `block`), whatever the defaults. */
    safety: z.strictObject({ minimum: z.enum(['blur', 'block']) }).optional(),
    ...partialLimits.shape,
  });
}

function quotas(platforms: readonly ConfigPlatform[]) {
  const admins = Object.fromEntries(platforms.map((p) => [p.name, z.array(userId).default([])]));
  return z.strictObject({
    defaults: z
      .strictObject({
        running: limitFields.running.default(1),
        waiting: limitFields.waiting.default(3),
        perWindow: limitFields.perWindow.default(30),
        windowSeconds: limitFields.windowSeconds.default(86400),
        gpuSecondsPerWindow: limitFields.gpuSecondsPerWindow.optional(),
      })
      .prefault({}),
    /** Per community (Discord guild, Telegram group), on top of the per-user limits. */
    community: partialLimits.prefault({}),
    global: z
      .strictObject({ running: limitFields.running, waiting: limitFields.waiting })
      .partial()
      .prefault({}),
    tiers: z.array(tier(platforms)).default([]),
    /** Platform name → user ids given the unlimited admin tier. */
    admins: z.strictObject(admins).prefault({}),
  });
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8188';

function coreShape(platforms: readonly ConfigPlatform[]) {
  return {
    backends: z
      .array(backend)
      .min(1)
      .default([
        {
          name: 'local',
          kind: 'comfyui',
          url: DEFAULT_BACKEND_URL,
          weight: 1,
          tags: [],
          headers: {},
          maxQueued: 1,
          slots: 1,
        },
      ])
      .transform((list) =>
        list.map((b, i) =>
          withDefaultUrl({ ...b, name: b.name ?? `${b.kind === 'comfyui' ? 'comfyui' : 'cloud'}-${i + 1}` }),
        ),
      )
      .refine((list) => new Set(list.map((b) => b.name)).size === list.length, {
        params: { expected: 'unique_names' },
      }),
    workflowsDir: z.string().min(1).default('./workflows'),
    dataDir: z.string().min(1).default('./data'),
    locale: z.enum(['en', 'zh']).default('en'),
    storage: z
      .strictObject({
        redisUrl: z
          .string()
          .regex(/^rediss?:\/\//)
          .optional(),
        /** Where files (uploads, outputs, input images) are kept; default `<dataDir>/blobs`. */
        blobsDir: z.string().min(1).optional(),
      })
      .prefault({}),
    retention: retentionSection,
    safety: safetySection,
    quotas: quotas(platforms).prefault({}),
    scheduler: z
      .strictObject({
        /** How many recent jobs per template and backend the ETA averages over. */
        etaWindow: positiveInt.default(20),
        /** The duration assumed for a template before any job of it has finished. */
        defaultJobSeconds: z.number().positive().default(30),
      })
      .prefault({}),
    progress: z.strictObject({ intervalMs: z.number().int().min(100).default(1000) }).prefault({}),
    jobs: z
      .strictObject({
        maxAttempts: positiveInt.default(3),
        waitForBackendSeconds: seconds.default(300),
        /** Poll `/history` when the socket has been silent this long. */
        idleEventSeconds: z.number().positive().default(15),
      })
      .prefault({}),
    models: modelsSection,
    comfyOrgApiKey: z.string().min(1).optional(),
    logLevel: z.enum(LOG_LEVELS).default('info'),
  };
}

const coreOnly = z.strictObject(coreShape([]));
type CoreConfig = z.output<typeof coreOnly>;
type CoreQuotas = CoreConfig['quotas'];
type CoreTier = CoreQuotas['tiers'][number];
type CoreInput = z.input<typeof coreOnly>;
type CoreQuotasInput = NonNullable<CoreInput['quotas']>;
type CoreTierInput = NonNullable<CoreQuotasInput['tiers']>[number];

/** A tier's `match:`: `apiKeyTier`, plus the keys the platforms add (`discordRoles`). */
export type TierMatch = { apiKeyTier?: string } & Partial<PlatformTierMatchKeys>;
/** Platform name → admin user ids: `admins.discord`. */
export type AdminLists = { [K in keyof PlatformSectionsOutput]: string[] } & Record<string, string[]>;

/** The validated configuration, defaults filled in. */
export type Config = Omit<CoreConfig, 'quotas'> & {
  quotas: Omit<CoreQuotas, 'tiers' | 'admins'> & {
    tiers: (Omit<CoreTier, 'match'> & { match: TierMatch })[];
    admins: AdminLists;
  };
} & PlatformSectionsOutput;

/** What may be written in the file (every key optional). */
export type ConfigInput = Omit<CoreInput, 'quotas'> & {
  quotas?: Omit<CoreQuotasInput, 'tiers' | 'admins'> & {
    tiers?: (Omit<CoreTierInput, 'match'> & { match: TierMatch })[];
    admins?: Partial<Record<string, (string | number)[]>>;
  };
} & PlatformSectionsInput;

export type BackendConfig = Config['backends'][number];

export type ConfigSchema = z.ZodType<Config, ConfigInput>;

/** The schema of the file with these platforms' sections, `quotas.admins` lists and tier `match:` keys. */
export function buildConfigSchema(platforms: readonly ConfigPlatform[]): ConfigSchema {
  const sections = Object.fromEntries(
    platforms.flatMap((p) =>
      p.configSection ? [[p.configSection.key, p.configSection.schema.prefault({})]] : [],
    ),
  );
  return z.strictObject({ ...coreShape(platforms), ...sections }) as unknown as ConfigSchema;
}

/** The core keys alone (no platform section): what engine-only tools and tests parse with. */
export const configSchema: ConfigSchema = buildConfigSchema([]);

/** JSON Schema of the file, for editors (`# yaml-language-server: $schema=…`) and "did you mean" hints. */
export function configJsonSchema(schema: ConfigSchema = configSchema): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
