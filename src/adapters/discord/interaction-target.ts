import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
  type PermissionsBitField,
} from 'discord.js';
import type { Locale } from '#shared/i18n.ts';
import type { DiscordTarget, MissingPermission } from './front-end.ts';

export type Interaction = ChatInputCommandInteraction | ButtonInteraction;

/** Interaction tokens live 15 minutes; after that the status moves to a bot-token edit. */
const TOKEN_MS = 15 * 60_000;
export const NEEDED = PermissionFlagsBits.AttachFiles | PermissionFlagsBits.EmbedLinks;

export const missingOf = (p: Readonly<PermissionsBitField>): MissingPermission[] => [
  ...(p.has(PermissionFlagsBits.AttachFiles) ? [] : (['attachFiles'] as const)),
  ...(p.has(PermissionFlagsBits.EmbedLinks) ? [] : (['embedLinks'] as const)),
];

/** A guild channel marked NSFW (age-restricted): the safety policy defaults to allow there. */
export const isAgeRestricted = (channel: unknown): boolean =>
  !!channel && typeof channel === 'object' && 'nsfw' in channel && channel.nsfw === true;

/** Where a job's status and result go for an interaction: its reply message, token and permissions. */
export function interactionTarget(
  i: Interaction,
  messageId: string,
  locale: Locale,
  ephemeral: boolean,
  previews: boolean,
  now: number,
): DiscordTarget {
  return {
    platform: 'discord',
    channelId: i.channelId ?? '',
    messageId,
    appId: i.applicationId,
    token: i.token,
    tokenExpiresAt: now + TOKEN_MS,
    ...(ephemeral ? { ephemeral } : {}),
    locale,
    sizeLimit: i.attachmentSizeLimit,
    previews,
    ...(i.guildId ? { guildId: i.guildId } : {}),
    ...(isAgeRestricted(i.channel) ? { adult: true } : {}),
    canPost: !i.guildId || i.appPermissions.has(NEEDED),
    ...(i.guildId ? { missing: missingOf(i.appPermissions) } : {}),
  };
}
