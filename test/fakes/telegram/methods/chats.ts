/** getMe, getChat, chat members, bot commands and answerCallbackQuery. */
import { Fail } from '../errors.ts';
import { checkCommands } from '../limits.ts';
import { bool, int, json, str } from '../parse.ts';
import type { FakeChat, FakeState, Json } from '../state.ts';
import type { MethodContext, MethodHandler } from './context.ts';

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
};

function memberJson(state: FakeState, chat: FakeChat, userId: number): Json {
  const user = userId === state.bot.id ? state.botJson() : state.userJson(userId);
  if (chat.ownerId === userId) return { status: 'creator', user, is_anonymous: false };
  if (chat.admins.has(userId)) return { status: 'administrator', user, ...ADMIN_RIGHTS };
  const member = chat.members.has(userId) || chat.userId === userId || userId === state.bot.id;
  return { status: member ? 'member' : 'left', user };
}

const getChatMember: MethodHandler = (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  const userId = int(ctx.params, 'user_id');
  if (userId === undefined || (userId !== ctx.state.bot.id && !ctx.state.users.has(userId)))
    throw Fail.userNotFound();
  return memberJson(ctx.state, chat, userId);
};

const getChatAdministrators: MethodHandler = (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  if (chat.type === 'private') throw Fail.noAdminsInPrivate();
  const ids = [...(chat.ownerId !== undefined ? [chat.ownerId] : []), ...chat.admins];
  return ids.map((id) => memberJson(ctx.state, chat, id));
};

const getChat: MethodHandler = (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  return { ...ctx.state.chatJson(chat), accent_color_id: 0, max_reaction_count: 11 };
};

function commandKey(ctx: MethodContext): { key: string; scope: Json; language_code: string } {
  const scope = (json(ctx.params, 'scope') as Json | undefined) ?? { type: 'default' };
  const language_code = str(ctx.params, 'language_code') ?? '';
  if (language_code !== '' && !/^[a-z]{2}$/.test(language_code))
    throw Fail.badParameter('invalid language code specified');
  const sorted = Object.fromEntries(Object.entries(scope).sort(([a], [b]) => a.localeCompare(b)));
  return { key: `${JSON.stringify(sorted)}|${language_code}`, scope, language_code };
}

const setMyCommands: MethodHandler = (ctx) => {
  const commands = checkCommands(json(ctx.params, 'commands'));
  const { key, scope, language_code } = commandKey(ctx);
  if (commands.length === 0) ctx.state.commandSets.delete(key);
  else ctx.state.commandSets.set(key, { scope, language_code, commands });
  return true;
};

const getMyCommands: MethodHandler = (ctx) => ctx.state.commandSets.get(commandKey(ctx).key)?.commands ?? [];

const deleteMyCommands: MethodHandler = (ctx) => {
  ctx.state.commandSets.delete(commandKey(ctx).key);
  return true;
};

/** Unknown, already answered, or older than the deadline: Telegram's "query is too old". */
const answerCallbackQuery: MethodHandler = (ctx) => {
  const q = ctx.state.callbackQueries.get(str(ctx.params, 'callback_query_id') ?? '');
  const now = ctx.clock.now();
  if (!q || q.answer || now - q.createdAt > ctx.settings.callbackAnswerDeadlineMs) {
    if (q) q.rejectedAnswers++;
    throw Fail.queryTooOld();
  }
  const text = str(ctx.params, 'text');
  const url = str(ctx.params, 'url');
  const cache_time = int(ctx.params, 'cache_time');
  q.answer = {
    at: now,
    latencyMs: now - q.createdAt,
    ...(text !== undefined ? { text } : {}),
    ...(bool(ctx.params, 'show_alert') ? { show_alert: true } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(cache_time !== undefined ? { cache_time } : {}),
  };
  return true;
};

export const chatMethods: Record<string, MethodHandler> = {
  getMe: (ctx) => ({ ...ctx.state.bot }),
  getChat,
  getChatMember,
  getChatAdministrators,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  answerCallbackQuery,
};
