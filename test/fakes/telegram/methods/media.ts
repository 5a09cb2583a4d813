/** sendPhoto, sendDocument, sendAnimation, sendVideo, sendAudio, sendMediaGroup, editMessageMedia, getFile. */
import { Fail, Rules } from '../errors.ts';
import type { DocumentResult, PhotoResult } from '../files.ts';
import { checkCaption, Limits, sameJson } from '../limits.ts';
import { json, str, type Upload } from '../parse.ts';
import type { Json, StoredMessage } from '../state.ts';
import { editTarget, type MethodContext, type MethodHandler, replyTarget, sentNow } from './context.ts';
import { applyEdit, markupParam } from './messages.ts';

type MediaKind = 'photo' | 'document' | 'animation' | 'video' | 'audio';
const SPOILER_KINDS = new Set<MediaKind>(['photo', 'animation', 'video']);

/** `has_spoiler` as JSON (true) or a multipart field ("true"); only photos, videos and animations take it. */
const spoilerOf = (kind: MediaKind, value: unknown): Partial<StoredMessage> =>
  SPOILER_KINDS.has(kind) && (value === true || value === 'true') ? { has_spoiler: true } : {};

/** A file parameter: an upload part (by field name or `attach://name`) or a file_id. */
function fileInput(ctx: MethodContext, value: unknown, field: string, kind: MediaKind): Upload | string {
  if (typeof value === 'string' && value.startsWith('attach://')) {
    const part = ctx.files.get(value.slice('attach://'.length));
    if (!part) throw Fail.mediaNotFound();
    return part;
  }
  if (typeof value === 'string' && value !== '') return value;
  const part = ctx.files.get(field);
  if (!part) throw Fail.noMedia(kind);
  return part;
}

async function media(
  ctx: MethodContext,
  kind: MediaKind,
  input: Upload | string,
): Promise<Partial<StoredMessage>> {
  if (kind === 'photo') {
    const p: PhotoResult = await ctx.store.photo(input);
    return { photo: p.sizes, upload: p.upload };
  }
  // Animations, videos and audio are kept as uploaded, like documents (Telegram's transcoding is not modelled).
  const d: DocumentResult = ctx.store.document(input);
  return { [kind]: d.document, upload: d.upload };
}

function sendMedia(kind: MediaKind): MethodHandler {
  return async (ctx) => {
    const chat = ctx.state.chat(ctx.params.chat_id);
    const caption = checkCaption(ctx.params.caption);
    const reply_markup = markupParam(ctx);
    const reply_to_message_id = replyTarget(ctx, chat);
    const content = await media(ctx, kind, fileInput(ctx, ctx.params[kind], kind, kind));
    const msg = ctx.state.addMessage(chat, {
      ...sentNow(ctx),
      ...content,
      ...spoilerOf(kind, ctx.params.has_spoiler),
      ...(caption !== undefined ? { caption } : {}),
      ...(reply_markup ? { reply_markup } : {}),
      ...(reply_to_message_id !== undefined ? { reply_to_message_id } : {}),
    });
    return ctx.state.toApi(msg);
  };
}

interface InputMedia {
  type?: unknown;
  media?: unknown;
  caption?: unknown;
  has_spoiler?: unknown;
}

const ALBUM_KINDS = new Set<unknown>(['photo', 'video', 'document', 'audio']);

const sendMediaGroup: MethodHandler = async (ctx) => {
  const chat = ctx.state.chat(ctx.params.chat_id);
  const items = json(ctx.params, 'media');
  if (!Array.isArray(items) || items.length === 0) throw Fail.mediaGroupEmpty();
  if (items.length > Limits.mediaGroupMax) throw Fail.mediaGroupTooMany();
  const at = ctx.clock.now();
  if (items.length < Limits.mediaGroupMin) {
    ctx.state.violate({
      rule: Rules.mediaGroupSize,
      method: ctx.method,
      description: 'media group with 1 item (Bot API: 2-10); sent as a single message',
      status: 0,
      rejected: false,
      chatId: chat.id,
      at,
    });
  }
  if (ctx.params.reply_markup !== undefined) {
    ctx.state.violate({
      rule: Rules.mediaGroupMarkup,
      method: ctx.method,
      description: 'sendMediaGroup has no reply_markup; the buttons are not shown',
      status: 0,
      rejected: false,
      chatId: chat.id,
      at,
    });
  }
  const kinds = (items as InputMedia[]).map((i) => i.type);
  if (kinds.includes('document') && kinds.some((k) => k !== 'document')) throw Fail.mediaGroupMix();
  if (kinds.includes('audio') && kinds.some((k) => k !== 'audio')) throw Fail.mediaGroupMixAudio();
  const reply_to_message_id = replyTarget(ctx, chat);
  const prepared: Partial<StoredMessage>[] = [];
  for (const item of items as InputMedia[]) {
    if (!ALBUM_KINDS.has(item.type)) {
      throw Fail.badParameter(
        `can't parse InputMedia: type "${String(item.type)}" is not supported by the fake`,
      );
    }
    const kind = item.type as MediaKind;
    const caption = checkCaption(item.caption);
    const content = await media(ctx, kind, fileInput(ctx, item.media, '', kind));
    prepared.push({
      ...content,
      ...spoilerOf(kind, item.has_spoiler),
      ...(caption !== undefined ? { caption } : {}),
    });
  }
  const media_group_id = items.length > 1 ? ctx.state.nextMediaGroupId() : undefined;
  return prepared.map((content) =>
    ctx.state.toApi(
      ctx.state.addMessage(chat, {
        ...sentNow(ctx),
        ...content,
        ...(media_group_id ? { media_group_id } : {}),
        ...(reply_to_message_id !== undefined ? { reply_to_message_id } : {}),
      }),
    ),
  );
};

const editMessageMedia: MethodHandler = async (ctx) => {
  const msg = editTarget(ctx);
  if (!msg.photo && !msg.document) throw Fail.noMediaToEdit();
  const item = (json(ctx.params, 'media') ?? {}) as InputMedia;
  if (item.type !== 'photo' && item.type !== 'document')
    throw Fail.badParameter("can't parse InputMedia: media not found");
  const caption = checkCaption(item.caption);
  const reply_markup = markupParam(ctx);
  const input = fileInput(ctx, item.media, 'media', item.type);
  const current = msg.upload?.fileId;
  const sameFile =
    typeof input === 'string' &&
    (input === current || msg.photo?.some((p) => p.file_id === input) || msg.document?.file_id === input);
  if (sameFile && caption === msg.caption && sameJson(reply_markup, msg.reply_markup))
    throw Fail.notModified();
  const content = await media(ctx, item.type, input);
  const change: Partial<StoredMessage> = { ...content, caption, reply_markup };
  if (item.type === 'photo') change.document = undefined;
  else change.photo = undefined;
  applyEdit(ctx, msg, change);
  if (!msg.photo) delete msg.photo;
  if (!msg.document) delete msg.document;
  return ctx.state.toApi(msg);
};

const getFile: MethodHandler = (ctx) => {
  const id = str(ctx.params, 'file_id') ?? '';
  const file = ctx.store.get(id);
  if (!file) throw Fail.invalidFileId();
  if (file.bytes.length > Limits.downloadBytes) throw Fail.downloadTooBig();
  const result: Json = {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.bytes.length,
    file_path: ctx.store.pathOf(file),
  };
  return result;
};

export const mediaMethods: Record<string, MethodHandler> = {
  sendPhoto: sendMedia('photo'),
  sendDocument: sendMedia('document'),
  sendAnimation: sendMedia('animation'),
  sendVideo: sendMedia('video'),
  sendAudio: sendMedia('audio'),
  sendMediaGroup,
  editMessageMedia,
  getFile,
};
