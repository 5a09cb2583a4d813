/** The user side: messages users send (with auto-filled entities) and inline-button presses. */
import type { FakeClock } from './clock.ts';
import type { FileStore } from './files.ts';
import type { FakeChat, FakeState, Json, StoredMessage } from './state.ts';
import type { UpdateQueue } from './updates.ts';

export interface UserSendsOptions {
  /** Defaults to the user's private chat. */
  chatId?: number;
  userId: number;
  text?: string;
  /** Image bytes (PNG/JPEG/WebP); Telegram's sizes are made from it. */
  photo?: Buffer;
  document?: { bytes: Buffer; filename: string };
  caption?: string;
  replyToMessageId?: number;
  /** Overrides the auto-filled bot_command/mention entities. */
  entities?: Json[];
}

export interface PressButtonOptions {
  chatId: number;
  messageId: number;
  userId: number;
  data: string;
}

export interface SimDeps {
  state: FakeState;
  store: FileStore;
  updates: UpdateQueue;
  clock: FakeClock;
  privacyMode: () => boolean;
}

/** bot_command and mention entities as Telegram's clients mark them (offsets in UTF-16 units). */
export function detectEntities(text: string): Json[] {
  const out: Json[] = [];
  for (const m of text.matchAll(/(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])/g)) {
    out.push({ type: 'bot_command', offset: m.index, length: m[0].length });
  }
  for (const m of text.matchAll(/(?<![\w@/])@[A-Za-z0-9_]{5,32}(?!\w)/g)) {
    out.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return out.sort((a, b) => (a.offset as number) - (b.offset as number));
}

export async function userSends(deps: SimDeps, o: UserSendsOptions): Promise<Json> {
  const { state, clock } = deps;
  if (!state.users.has(o.userId))
    throw new Error(`fake-telegram: unknown user ${o.userId}; call addUser() first`);
  const chatId = o.chatId ?? o.userId;
  const chat = state.chats.get(chatId);
  if (!chat) throw new Error(`fake-telegram: unknown chat ${chatId}; call addChat() first`);
  if (o.replyToMessageId !== undefined && !state.message(chatId, o.replyToMessageId)) {
    throw new Error(`fake-telegram: message ${o.replyToMessageId} does not exist in chat ${chatId}`);
  }
  chat.members.add(o.userId);
  const fields: Omit<StoredMessage, 'chatId' | 'message_id' | 'edits'> = {
    sender: o.userId,
    method: 'user',
    date: clock.unix(),
    sentAt: clock.now(),
    ...(o.replyToMessageId !== undefined ? { reply_to_message_id: o.replyToMessageId } : {}),
  };
  if (o.photo) {
    const p = await deps.store.photo({
      field: 'photo',
      filename: 'photo.jpg',
      mime: 'application/octet-stream',
      bytes: o.photo,
    });
    Object.assign(fields, { photo: p.sizes, upload: p.upload });
  }
  if (o.document) {
    const d = deps.store.document({
      field: 'document',
      filename: o.document.filename,
      mime: '',
      bytes: o.document.bytes,
    });
    Object.assign(fields, { document: d.document, upload: d.upload });
  }
  if (o.text !== undefined)
    Object.assign(fields, { text: o.text, entities: o.entities ?? detectEntities(o.text) });
  if (o.caption !== undefined)
    Object.assign(fields, { caption: o.caption, caption_entities: o.entities ?? detectEntities(o.caption) });
  const msg = state.addMessage(chat, fields);
  const filtered = deps.privacyMode() && !addressedToBot(state, chat, msg) ? 'privacy_mode' : undefined;
  return deps.updates.push('message', state.toApi(msg), filtered);
}

/**
 * Privacy mode: in groups a bot that is not an admin only gets commands (plain or
 * `/cmd@thisbot`), replies to its own messages, and mentions of it.
 */
function addressedToBot(state: FakeState, chat: FakeChat, msg: StoredMessage): boolean {
  if (chat.type === 'private' || chat.admins.has(state.bot.id)) return true;
  const text = msg.text ?? msg.caption ?? '';
  const me = `@${state.bot.username}`.toLowerCase();
  for (const e of msg.entities ?? msg.caption_entities ?? []) {
    const part = text.slice(e.offset as number, (e.offset as number) + (e.length as number)).toLowerCase();
    if (e.type === 'bot_command' && (!part.includes('@') || part.endsWith(me))) return true;
    if (e.type === 'mention' && part === me) return true;
  }
  const replied =
    msg.reply_to_message_id === undefined ? undefined : state.message(chat.id, msg.reply_to_message_id);
  return replied?.sender === 'bot';
}

export function pressButton(deps: SimDeps, o: PressButtonOptions): string {
  const { state, clock } = deps;
  const msg = state.message(o.chatId, o.messageId);
  if (!msg) throw new Error(`fake-telegram: message ${o.messageId} does not exist in chat ${o.chatId}`);
  if (!state.users.has(o.userId)) throw new Error(`fake-telegram: unknown user ${o.userId}`);
  const rows = (msg.reply_markup?.inline_keyboard ?? []) as Json[][];
  if (!rows.flat().some((b) => b.callback_data === o.data)) {
    throw new Error(
      `fake-telegram: message ${o.messageId} has no button with callback_data ${JSON.stringify(o.data)}`,
    );
  }
  const id = state.nextCallbackId();
  state.callbackQueries.set(id, {
    id,
    chatId: o.chatId,
    messageId: o.messageId,
    userId: o.userId,
    data: o.data,
    createdAt: clock.now(),
    rejectedAnswers: 0,
  });
  deps.updates.push('callback_query', {
    id,
    from: state.userJson(o.userId),
    message: state.toApi(msg),
    chat_instance: String(BigInt.asIntN(64, BigInt(o.chatId) * 7919n + 104729n)),
    data: o.data,
  });
  return id;
}
