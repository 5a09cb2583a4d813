/** In-memory world of the fake: bot, users, chats, messages, callback queries, logs. */
import type { RuleName } from './errors.ts';
import { Fail } from './errors.ts';

export type Json = Record<string, unknown>;
export type ChatType = 'private' | 'group' | 'supergroup';

export interface BotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

export interface FakeUser {
  id: number;
  is_bot: false;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeChat {
  id: number;
  type: ChatType;
  title?: string;
  /** For private chats: the user. */
  userId?: number;
  ownerId?: number;
  admins: Set<number>;
  members: Set<number>;
  nextMessageId: number;
}

export interface PhotoSizeJson {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface DocumentJson {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
}

/** The bytes as the sender uploaded them (before Telegram's resizing), for assertions. */
export interface UploadInfo {
  fileId: string;
  bytes: Buffer;
  size: number;
  mime: string;
  filename?: string;
  width?: number;
  height?: number;
}

export interface EditRecord {
  at: number;
  method: string;
  text?: string;
  caption?: string;
  reply_markup?: Json;
  media?: 'photo' | 'document';
}

export interface StoredMessage {
  chatId: number;
  message_id: number;
  /** `bot` for messages the bot sent, otherwise the user id. */
  sender: 'bot' | number;
  method: string;
  date: number;
  sentAt: number;
  text?: string;
  entities?: Json[];
  caption?: string;
  caption_entities?: Json[];
  parse_mode?: string;
  photo?: PhotoSizeJson[];
  document?: DocumentJson;
  /** sendAnimation / sendVideo / sendAudio: stored like a document (no transcoding modelled). */
  animation?: DocumentJson;
  video?: DocumentJson;
  audio?: DocumentJson;
  /** Sent with `has_spoiler` (photos, videos, animations). */
  has_spoiler?: boolean;
  media_group_id?: string;
  reply_markup?: Json;
  reply_to_message_id?: number;
  upload?: UploadInfo;
  edit_date?: number;
  edits: EditRecord[];
  deletedAt?: number;
}

export interface CallRecord {
  seq: number;
  method: string;
  params: Json;
  files: { field: string; filename: string; size: number; mime: string }[];
  at: number;
  via: 'http' | 'webhook-reply';
  status?: number;
  ok?: boolean;
  description?: string;
  finishedAt?: number;
}

export interface Violation {
  rule: RuleName;
  method: string;
  description: string;
  status: number;
  /** False for rules that are only recorded (flood, early retry, ignored markup). */
  rejected: boolean;
  chatId?: number;
  at: number;
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
  latencyMs: number;
}

export interface CallbackQueryRecord {
  id: string;
  chatId: number;
  messageId: number;
  userId: number;
  data: string;
  createdAt: number;
  answer?: CallbackAnswer;
  /** Late or repeated answers that were rejected. */
  rejectedAnswers: number;
}

export interface CommandSet {
  scope: Json;
  language_code: string;
  commands: { command: string; description: string }[];
}

export class FakeState {
  readonly bot: BotInfo;
  readonly users = new Map<number, FakeUser>();
  readonly chats = new Map<number, FakeChat>();
  readonly messages = new Map<number, Map<number, StoredMessage>>();
  readonly callbackQueries = new Map<string, CallbackQueryRecord>();
  readonly calls: CallRecord[] = [];
  readonly violations: Violation[] = [];
  readonly commandSets = new Map<string, CommandSet>();
  readonly chatActions: { chatId: number; action: string; at: number }[] = [];
  private seq = 0;
  private ids = {
    user: 100_000_000,
    group: 4_000_000,
    supergroup: 1_000_000_000,
    callback: 1,
    mediaGroup: 1,
  };

  constructor(bot: BotInfo) {
    this.bot = bot;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  nextUserId(): number {
    return ++this.ids.user;
  }

  nextChatId(type: ChatType): number {
    if (type === 'group') return -++this.ids.group;
    return -(1_000_000_000_000 + ++this.ids.supergroup);
  }

  nextCallbackId(): string {
    return `${this.bot.id}${String(this.ids.callback++).padStart(9, '0')}`;
  }

  nextMediaGroupId(): string {
    return `${13_000_000_000_000_000n + BigInt(this.ids.mediaGroup++)}`;
  }

  chat(chatId: unknown): FakeChat {
    const id = typeof chatId === 'number' ? chatId : Number(chatId);
    const chat = Number.isFinite(id) ? this.chats.get(id) : undefined;
    if (!chat)
      throw chatId === undefined || chatId === ''
        ? Fail.badParameter('chat_id is empty')
        : Fail.chatNotFound();
    return chat;
  }

  message(chatId: number, messageId: number): StoredMessage | undefined {
    const m = this.messages.get(chatId)?.get(messageId);
    return m && m.deletedAt === undefined ? m : undefined;
  }

  addMessage(chat: FakeChat, fields: Omit<StoredMessage, 'chatId' | 'message_id' | 'edits'>): StoredMessage {
    const msg: StoredMessage = { ...fields, chatId: chat.id, message_id: chat.nextMessageId++, edits: [] };
    let byId = this.messages.get(chat.id);
    if (!byId) {
      byId = new Map();
      this.messages.set(chat.id, byId);
    }
    byId.set(msg.message_id, msg);
    return msg;
  }

  userJson(userId: number): Json {
    const u = this.users.get(userId);
    if (!u) throw new Error(`fake-telegram: unknown user ${userId}`);
    return { ...u };
  }

  botJson(): Json {
    return { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username };
  }

  chatJson(chat: FakeChat): Json {
    if (chat.type === 'private') {
      const u = chat.userId === undefined ? undefined : this.users.get(chat.userId);
      return {
        id: chat.id,
        type: 'private',
        first_name: u?.first_name ?? 'User',
        ...(u?.last_name ? { last_name: u.last_name } : {}),
        ...(u?.username ? { username: u.username } : {}),
      };
    }
    return { id: chat.id, type: chat.type, title: chat.title ?? 'Group' };
  }

  /** The Bot API `Message` object for a stored message. */
  toApi(msg: StoredMessage): Json {
    const chat = this.chat(msg.chatId);
    const out: Json = {
      message_id: msg.message_id,
      from: msg.sender === 'bot' ? this.botJson() : this.userJson(msg.sender),
      chat: this.chatJson(chat),
      date: msg.date,
    };
    const reply =
      msg.reply_to_message_id === undefined ? undefined : this.message(msg.chatId, msg.reply_to_message_id);
    if (reply) out.reply_to_message = { ...this.toApi({ ...reply, reply_to_message_id: undefined }) };
    if (msg.edit_date !== undefined) out.edit_date = msg.edit_date;
    if (msg.media_group_id !== undefined) out.media_group_id = msg.media_group_id;
    if (msg.text !== undefined) out.text = msg.text;
    if (msg.entities?.length) out.entities = msg.entities;
    if (msg.photo) out.photo = msg.photo;
    if (msg.document) out.document = msg.document;
    for (const k of ['animation', 'video', 'audio'] as const) if (msg[k]) out[k] = msg[k];
    if (msg.has_spoiler) out.has_spoiler = true;
    if (msg.caption !== undefined) out.caption = msg.caption;
    if (msg.caption_entities?.length) out.caption_entities = msg.caption_entities;
    if (msg.reply_markup) out.reply_markup = msg.reply_markup;
    return out;
  }

  violate(v: Omit<Violation, 'at'> & { at: number }): void {
    this.violations.push(v);
  }
}

/** Empty inline keyboards are the same as no keyboard. */
export function normalizeMarkup(markup: Json | undefined): Json | undefined {
  if (!markup) return undefined;
  const rows = markup.inline_keyboard;
  if (Array.isArray(rows) && rows.every((r) => Array.isArray(r) && r.length === 0)) return undefined;
  return markup;
}
