/** What every Bot API method handler receives. */
import type { FakeClock } from '../clock.ts';
import { Fail } from '../errors.ts';
import type { FileStore } from '../files.ts';
import { int, json, type Upload } from '../parse.ts';
import type { FakeChat, FakeState, Json, StoredMessage } from '../state.ts';
import type { UpdateQueue } from '../updates.ts';

export interface FakeSettings {
  callbackAnswerDeadlineMs: number;
  privacyMode: boolean;
  webhookEnforcePorts: boolean;
}

export interface MethodContext {
  method: string;
  params: Json;
  files: Map<string, Upload>;
  state: FakeState;
  store: FileStore;
  updates: UpdateQueue;
  clock: FakeClock;
  settings: FakeSettings;
  /** Aborted when the client goes away before the answer (used by long polling). */
  signal: AbortSignal;
  /** Set by a method to add Telegram's `description` to a successful answer. */
  description?: string;
}

export type MethodHandler = (ctx: MethodContext) => unknown;

/** Common fields of a message the bot sends now. */
export function sentNow(ctx: MethodContext): Pick<StoredMessage, 'sender' | 'method' | 'date' | 'sentAt'> {
  return { sender: 'bot', method: ctx.method, date: ctx.clock.unix(), sentAt: ctx.clock.now() };
}

/** reply_to_message_id / reply_parameters: the target must exist unless allow_sending_without_reply. */
export function replyTarget(ctx: MethodContext, chat: FakeChat): number | undefined {
  const rp = json(ctx.params, 'reply_parameters') as Json | undefined;
  const id = rp?.message_id !== undefined ? Number(rp.message_id) : int(ctx.params, 'reply_to_message_id');
  if (id === undefined) return undefined;
  if (ctx.state.message(chat.id, id)) return id;
  const allow =
    rp?.allow_sending_without_reply === true ||
    ctx.params.allow_sending_without_reply === true ||
    ctx.params.allow_sending_without_reply === 'true';
  if (allow) return undefined;
  throw Fail.replyNotFound();
}

/** The bot's own message addressed by chat_id + message_id, for edits. */
export function editTarget(ctx: MethodContext): StoredMessage {
  if (ctx.params.inline_message_id !== undefined) throw Fail.badParameter('MESSAGE_ID_INVALID');
  const chat = ctx.state.chat(ctx.params.chat_id);
  const id = int(ctx.params, 'message_id');
  if (id === undefined) throw Fail.messageIdMissing();
  const msg = ctx.state.message(chat.id, id);
  if (!msg) throw Fail.editNotFound();
  if (msg.sender !== 'bot') throw Fail.cantEdit();
  return msg;
}
