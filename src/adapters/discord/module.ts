import { z } from 'zod';
import { httpUrl, positiveInt, userId } from '../../config/primitives.ts';
import { type PlatformModule, tierMatch } from '../../core/platforms/platform-module.ts';
import { discordDeps } from './deps.ts';
import { discordCatalog } from './messages.ts';

// The Discord platform as the server and the command line see it: light on purpose (no discord.js here).

const discordSection = z.strictObject({
  token: z.string().min(1).optional(),
  applicationId: userId.optional(),
  /** Register commands in this guild only (instant, for development). */
  guildId: userId.optional(),
  shards: z.union([positiveInt, z.literal('auto')]).optional(),
  messageCommands: z
    .strictObject({ enabled: z.boolean().default(false), prefix: z.string().min(1).default('!imagine') })
    .prefault({}),
  previews: z.boolean().default(true),
  /** A job that took at least this long is announced in a new message mentioning its owner; 0: never. */
  mentionAfterSeconds: z.number().min(0).default(60),
  /** Discord's REST root (`https://discord.com/api`); the playground points it at the fake Discord. */
  apiRoot: httpUrl.optional(),
});

declare module '../../config/platform-config.ts' {
  interface PlatformSections {
    discord: typeof discordSection;
  }
  interface PlatformTierMatchKeys {
    /** Role ids whose members get the tier. */
    discordRoles: string[];
  }
}

export const discordPlatform: PlatformModule = {
  name: 'discord',
  configSection: {
    key: 'discord',
    schema: discordSection,
    env: [
      { names: ['COMFYRELAY_DISCORD_TOKEN', 'DISCORD_TOKEN'], path: ['token'], kind: 'string' },
      {
        names: ['COMFYRELAY_DISCORD_APPLICATION_ID', 'DISCORD_APPLICATION_ID'],
        path: ['applicationId'],
        kind: 'string',
      },
      { names: ['COMFYRELAY_DISCORD_GUILD_ID'], path: ['guildId'], kind: 'string' },
    ],
  },
  tierMatch: tierMatch({ discordRoles: z.array(z.string()) }, (match, requester) =>
    (requester.roles ?? []).some((role) => match.discordRoles?.includes(role)),
  ),
  catalog: discordCatalog,
  enabled: (config) => config.discord.token !== undefined,
  startHint: 'http.start.chatHint',
  async start({ ports, config }) {
    const { startDiscord } = await import('./index.ts');
    return startDiscord(discordDeps(ports, config));
  },
};
