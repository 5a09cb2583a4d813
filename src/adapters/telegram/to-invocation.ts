import type { Message, MessageEntity, User } from 'telegraf/types';
import type { CommandSpec } from '../../../commands/index.ts';
import type { Place } from '../../core/chat/chat-service.ts';
import { toLocale } from '#shared/i18n.ts';
import type { Requester } from '../../core/jobs/types.ts';
import type { TelegramTarget } from './front-end.ts';

/** A command addressed to this bot: `/name@bot rest`, a plain prompt in a private chat, or a mention in a group. */
export function parseCommand(
  text: string,
  entities: readonly MessageEntity[],
  bot: string,
  chatType: string,
  plainText: boolean,
): { name: string; text: string } | undefined {
  const first = entities[0];
  if (first?.type === 'bot_command' && first.offset === 0) {
    const [name = '', target] = text.slice(1, first.length).split('@');
    if (target && target.toLowerCase() !== bot.toLowerCase()) return undefined;
    return { name: name.toLowerCase(), text: text.slice(first.length).trim() };
  }
  if (chatType === 'private')
    return plainText && text.trim() ? { name: 'imagine', text: text.trim() } : undefined;
  const mention = entities.find(
    (e) =>
      e.type === 'mention' &&
      text.slice(e.offset + 1, e.offset + e.length).toLowerCase() === bot.toLowerCase(),
  );
  if (!mention) return undefined;
  return {
    name: 'imagine',
    text: (text.slice(0, mention.offset) + text.slice(mention.offset + mention.length)).trim(),
  };
}

/** The command a message (its text, or a photo's caption) addresses to this bot, if any. */
export function commandOf(
  msg: Message,
  bot: string,
  chatType: string,
  plainText: boolean,
): { name: string; text: string } | undefined {
  const text = 'text' in msg ? msg.text : 'caption' in msg ? (msg.caption ?? '') : '';
  const entities = ('text' in msg ? msg.entities : 'caption' in msg ? msg.caption_entities : undefined) ?? [];
  return parseCommand(text, entities, bot, chatType, plainText);
}

/** `key:value` tokens naming the command's options become options; the rest stays free text. */
export function parseOptions(
  spec: CommandSpec,
  text: string,
): { options: Record<string, string | number | boolean>; text: string } {
  if (spec.name === 'imagine') return { options: {}, text };
  const options: Record<string, string | number | boolean> = {};
  const rest: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const at = token.indexOf(':');
    const option = at > 0 ? spec.options.find((o) => o.name === token.slice(0, at).toLowerCase()) : undefined;
    const raw = token.slice(at + 1);
    if (!option || option.kind === 'attachment') rest.push(token);
    else if (option.kind === 'boolean') options[option.name] = /^(1|true|yes|on|是|开)$/i.test(raw);
    else if (option.kind === 'integer' || option.kind === 'number') options[option.name] = Number(raw);
    else options[option.name] = raw;
  }
  return { options, text: rest.join(' ') };
}

export const isGroup = (chatType: string): boolean => chatType === 'group' || chatType === 'supergroup';

export function requesterOf(from: User, chat: { id: number; type: string }): Requester {
  return {
    platform: 'telegram',
    userId: String(from.id),
    displayName: from.username
      ? `@${from.username}`
      : [from.first_name, from.last_name].filter(Boolean).join(' '),
    ...(isGroup(chat.type) ? { communityId: String(chat.id) } : {}),
    locale: toLocale(from.language_code),
  };
}

/** Private chats allow templates tagged nsfw (only the person sees them); groups do not. */
export function placeOf(
  chat: { id: number; type: string },
  message?: Pick<Message.TextMessage, 'message_thread_id'>,
): Place {
  return {
    ...(isGroup(chat.type) ? { communityId: String(chat.id) } : {}),
    ...(message?.message_thread_id ? { channelId: String(message.message_thread_id) } : {}),
    nsfwAllowed: chat.type === 'private',
  };
}

export function targetFor(chat: { id: number; type: string }, from: User, replyTo?: number): TelegramTarget {
  return {
    platform: 'telegram',
    chatId: chat.id,
    chatType: chat.type,
    locale: toLocale(from.language_code),
    ...(replyTo ? { replyTo } : {}),
  };
}

/** The largest size of a photo within Telegram's 20 MB download limit. */
export function photoToFetch(message: Message | undefined): { fileId: string } | undefined {
  if (!message || !('photo' in message)) return undefined;
  const sizes = message.photo.filter((p) => (p.file_size ?? 0) <= 20 * 1024 * 1024);
  const best = sizes.at(-1);
  return best ? { fileId: best.file_id } : undefined;
}

export const replyOf = (msg: Message): Message | undefined =>
  'reply_to_message' in msg ? (msg.reply_to_message as Message | undefined) : undefined;

/** The message (or the one it replies to) has a photo, though none small enough to download. */
export const hasBigPhoto = (msg: Message): boolean => {
  const m = 'photo' in msg ? msg : replyOf(msg);
  return !!m && 'photo' in m && m.photo.length > 0;
};
