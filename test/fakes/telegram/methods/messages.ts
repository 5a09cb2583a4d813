/** sendMessage, the edit methods for text/caption/markup, deleteMessage, sendChatAction. */
import { Fail } from '../errors.ts';
import { checkCaption, checkReplyMarkup, checkText, sameJson } from '../limits.ts';
import { int, json, str } from '../parse.ts';
import { type Json, normalizeMarkup, type StoredMessage } from '../state.ts';
import { editTarget, type MethodContext, type MethodHandler, replyTarget, sentNow } from './context.ts';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export function markupParam(ctx: MethodContext): Json | undefined {
  return normalizeMarkup(checkReplyMarkup(json(ctx.params, 'reply_markup')));
}

function entitiesParam(ctx: MethodContext, key: string): Json[] | undefined {
  const e = json(ctx.params, key);
  return Array.isArray(e) ? (e as Json[]) : undefined;
}

const sendMessage: MethodHandler = (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  const text = checkText(ctx.params.text);
  const reply_markup = markupParam(ctx);
  const reply_to_message_id = replyTarget(ctx, chat);
  const parse_mode = str(ctx.params, 'parse_mode');
  const entities = entitiesParam(ctx, 'entities');
  const msg = ctx.state.addMessage(chat, {
    ...sentNow(ctx),
    text,
    ...(entities ? { entities } : {}),
    ...(parse_mode ? { parse_mode } : {}),
    ...(reply_markup ? { reply_markup } : {}),
    ...(reply_to_message_id !== undefined ? { reply_to_message_id } : {}),
  });
  return ctx.state.toApi(msg);
};

/** Applies an edit and records it in the message's history. */
export function applyEdit(ctx: MethodContext, msg: StoredMessage, change: Partial<StoredMessage>): Json {
  Object.assign(msg, change);
  if (!msg.reply_markup) delete msg.reply_markup;
  if (msg.caption === undefined) delete msg.caption;
  msg.edit_date = ctx.clock.unix();
  msg.edits.push({
    at: ctx.clock.now(),
    method: ctx.method,
    ...(msg.text !== undefined ? { text: msg.text } : {}),
    ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
    ...(msg.reply_markup ? { reply_markup: msg.reply_markup } : {}),
    ...(change.photo ? { media: 'photo' as const } : change.document ? { media: 'document' as const } : {}),
  });
  return ctx.state.toApi(msg);
}

// Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
const editMessageText: MethodHandler = (ctx) => {
  const msg = editTarget(ctx);
  if (msg.text === undefined) throw Fail.noTextToEdit();
  const text = checkText(ctx.params.text);
  const reply_markup = markupParam(ctx);
  const entities = entitiesParam(ctx, 'entities');
  const parse_mode = str(ctx.params, 'parse_mode');
  if (
    text === msg.text &&
    parse_mode === msg.parse_mode &&
    sameJson(entities, msg.entities) &&
    sameJson(reply_markup, msg.reply_markup)
  ) {
    throw Fail.notModified();
  }
  return applyEdit(ctx, msg, { text, entities, parse_mode, reply_markup });
};

const editMessageCaption: MethodHandler = (ctx) => {
  const msg = editTarget(ctx);
  if (!msg.photo && !msg.document) throw Fail.noCaptionToEdit();
  const caption = checkCaption(ctx.params.caption);
  const reply_markup = markupParam(ctx);
  if (caption === msg.caption && sameJson(reply_markup, msg.reply_markup)) throw Fail.notModified();
  return applyEdit(ctx, msg, {
    caption,
    reply_markup,
    caption_entities: entitiesParam(ctx, 'caption_entities'),
  });
};

const editMessageReplyMarkup: MethodHandler = (ctx) => {
  const msg = editTarget(ctx);
  const reply_markup = markupParam(ctx);
  if (sameJson(reply_markup, msg.reply_markup)) throw Fail.notModified();
  return applyEdit(ctx, msg, { reply_markup });
};

const deleteMessage: MethodHandler = (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  const id = int(ctx.params, 'message_id');
  if (id === undefined) throw Fail.messageIdMissing();
  const msg = ctx.state.message(chat.id, id);
  if (!msg) throw Fail.deleteNotFound();
  if (msg.sender !== 'bot' && chat.type !== 'private' && !chat.admins.has(ctx.state.bot.id))
    throw Fail.cantDelete();
  msg.deletedAt = ctx.clock.now();
  return true;
};

const sendChatAction: MethodHandler = (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  const action = str(ctx.params, 'action') ?? '';
  if (!CHAT_ACTIONS.has(action)) throw Fail.badParameter('wrong parameter action in request');
  ctx.state.chatActions.push({ chatId: chat.id, action, at: ctx.clock.now() });
  return true;
};

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  sendChatAction,
};
