import { z } from 'zod';

/**
 * The shape of `comfyrelay.config.yaml`, with every default. Unknown keys are errors (a typo must not
 * silently fall back to a default). `comfyrelay.config.example.yaml` documents each key.
 */

const httpUrl = z
  .string()
  .trim()
  .refine((s) => /^https?:\/\/[^/\s]/i.test(s) && URL.canParse(s), { params: { expected: 'url' } })
  .transform((s) => s.replace(/\/+$/, ''));

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().min(1);
const seconds = z.number().min(0);
/** Telegram ids are numbers in YAML, Discord snowflakes are too long for numbers: both end up strings. */
const userId = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().min(0)]).transform(String);

const auth = z.union([
  z.strictObject({ bearer: z.string().min(1) }),
  z.strictObject({ basic: z.strictObject({ username: z.string(), password: z.string() }) }),
]);

const backend = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
  url: httpUrl,
  weight: z.number().positive().default(1),
  tags: z.array(z.string()).default([]),
  headers: z.record(z.string(), z.string()).default({}),
  auth: auth.optional(),
  maxQueued: positiveInt.default(1),
});

const limitFields = {
  running: z.number().int().min(0),
  waiting: z.number().int().min(0),
  perWindow: z.number().int().min(0),
  windowSeconds: positiveInt,
  gpuSecondsPerWindow: z.number().min(0),
};
const partialLimits = z.strictObject(limitFields).partial();

const tier = z.strictObject({
  name: z.string().min(1),
  match: z
    .strictObject({
      discordRoles: z.array(z.string()).optional(),
      telegramAdmins: z.boolean().optional(),
      apiKeyTier: z.string().optional(),
    })
    .refine((m) => Object.keys(m).length > 0, { params: { expected: 'tier_match' } }),
  priority: z.number().int().optional(),
  ...partialLimits.shape,
});

const quotas = z.strictObject({
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
  tiers: z.array(tier).default([]),
  admins: z
    .strictObject({ discord: z.array(userId).default([]), telegram: z.array(userId).default([]) })
    .prefault({}),
});

const discord = z.strictObject({
  token: z.string().min(1).optional(),
  applicationId: userId.optional(),
  /** Register commands in this guild only (instant, for development). */
  guildId: userId.optional(),
  shards: z.union([positiveInt, z.literal('auto')]).optional(),
  messageCommands: z
    .strictObject({ enabled: z.boolean().default(false), prefix: z.string().min(1).default('!imagine') })
    .prefault({}),
  previews: z.boolean().default(true),
  apiRoot: httpUrl.optional(),
});

const telegram = z.strictObject({
  token: z.string().min(1).optional(),
  apiRoot: httpUrl.optional(),
  webhook: z
    .strictObject({
      url: httpUrl,
      secretToken: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
      port: port.default(8443),
    })
    .optional(),
  privateChatPlainText: z.boolean().default(true),
  sendOriginalsAsDocuments: z.boolean().default(false),
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8188';

export const configSchema = z.strictObject({
  backends: z
    .array(backend)
    .min(1)
    .default([{ name: 'local', url: DEFAULT_BACKEND_URL, weight: 1, tags: [], headers: {}, maxQueued: 1 }])
    .transform((list) => list.map((b, i) => ({ ...b, name: b.name ?? `comfyui-${i + 1}` })))
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
    })
    .prefault({}),
  quotas: quotas.prefault({}),
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
  discord: discord.prefault({}),
  telegram: telegram.prefault({}),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8787),
      metricsKey: z.string().min(1).optional(),
      allowPrivateUrls: z.boolean().default(false),
      publicUrl: httpUrl.optional(),
    })
    .prefault({}),
  comfyOrgApiKey: z.string().min(1).optional(),
  logLevel: z.enum(LOG_LEVELS).default('info'),
});

/** The validated configuration, defaults filled in. */
export type Config = z.output<typeof configSchema>;
/** What may be written in the file (every key optional). */
export type ConfigInput = z.input<typeof configSchema>;
export type BackendConfig = Config['backends'][number];

/** JSON Schema of the file, for editors (`# yaml-language-server: $schema=…`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
