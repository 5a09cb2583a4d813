import { fileURLToPath } from 'node:url';
import {
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Options,
  Partials,
  ShardingManager,
} from 'discord.js';
import { COMMANDS } from '../../../commands/index.ts';
import { t, toLocale } from '#shared/i18n.ts';
import type { DiscordDeps } from './deps.ts';
import { DiscordFrontEnd } from './front-end.ts';
import { DiscordHandlers } from './handlers.ts';
import { registerCommands } from './register.ts';
import { restRequests } from './rest-requests.ts';
import { revealOriginal } from './reveal.ts';
import './messages.ts';

export interface DiscordOptions {
  /** Shards this process runs (ShardingManager passes them through the environment otherwise). */
  shards?: number[];
  shardCount?: number;
  /** Register slash commands at start (the ShardingManager's first shard only). Default true. */
  register?: boolean;
  /** This process is a shard spawned by the ShardingManager. */
  inShard?: boolean;
}

/** The validated configuration, as JSON, in a shard process's environment (`shard.ts`). */
export const SHARD_CONFIG_ENV = 'COMFYRELAY_SHARD_CONFIG';

const SHARDING_MANAGER_ENV = ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN'];

/** With `discord.shards` set (and Redis storage), runs each shard in its own process (`shard.ts`). */
async function startDiscordShards(
  { config: cfg, log }: DiscordDeps,
  sharding: NonNullable<DiscordDeps['sharding']>,
): Promise<{ close(): Promise<void> }> {
  if (!sharding.sharedStorage)
    log.warn({}, 'discord shards without storage.redisUrl do not share jobs or quotas');
  const marks = Object.fromEntries(SHARDING_MANAGER_ENV.map((k) => [k, process.env[k]]));
  const manager = new ShardingManager(fileURLToPath(new URL('./shard.ts', import.meta.url)), {
    token: cfg.token,
    totalShards: cfg.shards ?? 'auto',
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    // A shard runs the configuration this process loaded (with every platform's section), not its own.
    (shard.env as Record<string, string>)[SHARD_CONFIG_ENV] = sharding.configJson;
    log.info({ shard: shard.id }, 'discord shard started');
  });
  try {
    await manager.spawn();
  } finally {
    // ShardingManager's constructor writes these into this process's environment for its shards; each
    // shard copied the environment when it was created (a respawn reuses that copy). Left here, the bot
    // token would reach every child process this relay starts, and another discord.js Client in this
    // process would take itself for a shard.
    for (const [k, v] of Object.entries(marks)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return {
    async close() {
      // SIGTERM lets each shard finish its deliveries (shard.ts); wait until every process is gone.
      const exits = [...manager.shards.values()].flatMap((shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return [];
        return [new Promise<void>((resolve) => child.once('exit', () => resolve()))];
      });
      for (const shard of manager.shards.values()) shard.kill();
      await Promise.all(exits);
    },
  };
}

/**
 * Starts the Discord front end: logs in, registers the slash commands when they changed, and routes
 * interactions and (when enabled) prefix/mention messages to the chat core. One error boundary: a
 * failure is logged and answered with an ephemeral message; it never reaches the process.
 */
export async function startDiscord(
  deps: DiscordDeps,
  options: DiscordOptions = {},
): Promise<{ close(): Promise<void>; client?: Client }> {
  const { config: cfg, log } = deps;
  if (!cfg.token) throw new Error('discord.token is not set');
  if (deps.sharding && !options.inShard)
    return { ...(await startDiscordShards(deps, deps.sharding)), client: undefined };
  const messages = cfg.messageCommands.enabled;
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      ...(messages ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : []),
    ],
    partials: [Partials.Channel],
    // Nothing reads cached messages, and each deferral, followup and edit returns one: at a burst of
    // interactions they were hundreds of objects kept alive for the garbage collector to copy.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    rest: {
      ...(cfg.apiRoot ? { api: cfg.apiRoot } : {}),
      makeRequest: restRequests(deps.http),
    },
    ...(options.shards ? { shards: options.shards, shardCount: options.shardCount } : {}),
  });
  const fe = new DiscordFrontEnd(deps, client.rest);
  const handlers = new DiscordHandlers(deps, fe);

  const boundary = async (i: Interaction, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      log.error({ err: String(error), interaction: i.id, kind: i.type }, 'discord interaction failed');
      if (!i.isRepliable()) return;
      const content = t(toLocale(i.locale), 'discord.internal');
      await (i.deferred || i.replied
        ? i.followUp({ content, flags: MessageFlags.Ephemeral })
        : i.reply({ content, flags: MessageFlags.Ephemeral })
      ).catch((e: unknown) => log.warn({ err: String(e) }, 'discord error reply failed'));
    }
  };
  client.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) void boundary(i, () => handlers.command(i));
    else if (i.isAutocomplete())
      void handlers
        .autocomplete(i)
        .catch((e: unknown) => log.warn({ err: String(e) }, 'discord autocomplete failed'));
    else if (i.isButton())
      void boundary(i, async () => {
        if (!(await revealOriginal(deps, i))) await handlers.button(i);
      });
  });
  if (messages) {
    client.on(Events.MessageCreate, (m) => {
      handlers
        .message(m, cfg.messageCommands.prefix, client.user?.id ?? '')
        .catch((e: unknown) => log.error({ err: String(e) }, 'discord message failed'));
    });
  }
  client.on(Events.Error, (e) => log.error({ err: String(e) }, 'discord client error'));
  client.on(Events.Warn, (w) => log.warn({ warning: w }, 'discord client warning'));

  deps.jobs.registerFrontEnd(fe);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(cfg.token);
  await ready;
  if (options.register !== false) {
    const changed = await registerCommands(
      client.rest,
      client.application?.id ?? cfg.applicationId ?? '',
      COMMANDS,
      cfg.guildId,
    );
    log.info({ changed, scope: cfg.guildId ?? 'global' }, 'discord commands registered');
  }
  return {
    client,
    async close() {
      client.removeAllListeners();
      fe.close();
      await client.destroy();
    },
  };
}
