/** Message creation/editing with Discord's attachment rules, and the API message object. */
import { Fail, FormErrors } from './errors.ts';
import { Limits, validateMessageBody } from './limits.ts';
import type { FakeMessage, FakeState, MessageRevision, Obj, StoredAttachment } from './state.ts';

export interface UploadedFile {
  /** The n of the `files[n]` part. */
  index: string;
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface WriteContext {
  body: Obj;
  files: UploadedFile[];
  /** Per-file limit in bytes (the interaction's `attachment_size_limit` or the channel default). */
  sizeLimit: number;
  /** Field path prefix for form errors (`['data']` for interaction callbacks). */
  path?: string[];
  via: string;
}

export const MessageFlags = { Ephemeral: 64, Loading: 128 } as const;

function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const sig = [0x89, 0x50, 0x4e, 0x47];
  if (bytes.length < 24 || !sig.every((b, i) => bytes[i] === b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Stores bytes and gives them a CDN-like URL served by the fake (`GET /attachments/...`). */
export function storeFile(
  state: FakeState,
  channelId: string,
  file: { name: string; contentType: string; bytes: Uint8Array; description?: string },
): StoredAttachment {
  const id = state.nextId();
  const url = `${state.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
  const att: StoredAttachment = {
    id,
    filename: file.name,
    contentType: file.contentType,
    size: file.bytes.byteLength,
    bytes: file.bytes,
    url,
    ...(file.description === undefined ? {} : { description: file.description }),
    ...pngSize(file.bytes),
  };
  state.files.set(id, att);
  return att;
}

export function attachmentToApi(a: StoredAttachment): Obj {
  return {
    id: a.id,
    filename: a.filename,
    size: a.size,
    url: a.url,
    proxy_url: a.url,
    content_type: a.contentType,
    ...(a.description === undefined ? {} : { description: a.description }),
    ...(a.width === undefined ? {} : { width: a.width, height: a.height }),
  };
}

function checkFiles(ctx: WriteContext, total: number): void {
  if (total > Limits.attachmentsPerMessage) throw Fail.tooManyAttachments();
  if (ctx.files.some((f) => f.bytes.byteLength > ctx.sizeLimit)) throw Fail.attachmentTooLarge();
}

function revision(msg: FakeMessage, at: number, via: string): MessageRevision {
  return {
    at,
    via,
    content: msg.content,
    embeds: msg.embeds.length ? structuredClone(msg.embeds) : [],
    components: msg.components.length ? structuredClone(msg.components) : [],
    attachments: msg.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.size,
      contentType: a.contentType,
    })),
    flags: msg.flags,
  };
}

function newAttachments(
  state: FakeState,
  channelId: string,
  ctx: WriteContext,
  only?: Set<string>,
): StoredAttachment[] {
  const meta = Array.isArray(ctx.body['attachments']) ? (ctx.body['attachments'] as Obj[]) : [];
  return ctx.files
    .filter((f) => only === undefined || only.has(f.index))
    .map((f) => {
      const m = meta.find((a) => String(a['id']) === f.index);
      const name = typeof m?.['filename'] === 'string' ? m['filename'] : f.name;
      const description = typeof m?.['description'] === 'string' ? m['description'] : undefined;
      return storeFile(state, channelId, {
        name,
        contentType: f.contentType,
        bytes: f.bytes,
        ...(description === undefined ? {} : { description }),
      });
    });
}

/** Validates and creates a message. Throws DiscordFailure on any rule violation. */
export function createMessage(
  state: FakeState,
  channelId: string,
  authorId: string,
  ctx: WriteContext,
  extra: { webhookId?: string; interactionId?: string; flags?: number; allowEmpty?: boolean } = {},
): FakeMessage {
  const body = ctx.body;
  if (ctx.files.length && state.noAttachFiles.has(channelId)) throw Fail.missingPermissions();
  checkFiles(ctx, ctx.files.length);
  const errs = new FormErrors();
  validateMessageBody(errs, body, ctx.path);
  errs.throwIfAny();
  const content = typeof body['content'] === 'string' ? body['content'] : '';
  const embeds = Array.isArray(body['embeds']) ? body['embeds'] : [];
  const components = Array.isArray(body['components']) ? body['components'] : [];
  const isEmpty = !content && embeds.length === 0 && components.length === 0 && ctx.files.length === 0;
  if (isEmpty && !extra.allowEmpty && body['sticker_ids'] === undefined && body['poll'] === undefined)
    throw Fail.emptyMessage();
  const now = state.now();
  const msg: FakeMessage = {
    id: state.nextId(),
    channelId,
    guildId: state.channel(channelId)?.guildId ?? null,
    authorId,
    content,
    embeds,
    components,
    attachments: newAttachments(state, channelId, ctx),
    flags: (Number(body['flags'] ?? 0) & ~MessageFlags.Loading) | (extra.flags ?? 0),
    createdAt: now,
    editedAt: null,
    history: [],
    webhookId: extra.webhookId ?? null,
    interactionId: extra.interactionId ?? null,
    mentions: [],
    deleted: false,
  };
  msg.history.push(revision(msg, now, ctx.via));
  state.messages.set(msg.id, msg);
  return msg;
}

/** Applies an edit with API v10 semantics: when `attachments` is sent, only the listed ones are kept. */
export function editMessage(state: FakeState, msg: FakeMessage, ctx: WriteContext): FakeMessage {
  const body = ctx.body;
  const listed = Array.isArray(body['attachments'])
    ? (body['attachments'] as Obj[]).map((a) => String(a['id']))
    : undefined;
  const kept = listed === undefined ? msg.attachments : msg.attachments.filter((a) => listed.includes(a.id));
  const fileIdx = listed === undefined ? undefined : new Set(listed);
  const incoming = ctx.files.filter((f) => fileIdx === undefined || fileIdx.has(f.index)).length;
  if (incoming && state.noAttachFiles.has(msg.channelId)) throw Fail.missingPermissions();
  checkFiles(ctx, kept.length + incoming);
  const errs = new FormErrors();
  validateMessageBody(errs, body, ctx.path);
  errs.throwIfAny();
  if ('content' in body) msg.content = typeof body['content'] === 'string' ? body['content'] : '';
  if ('embeds' in body) msg.embeds = Array.isArray(body['embeds']) ? body['embeds'] : [];
  if ('components' in body) msg.components = Array.isArray(body['components']) ? body['components'] : [];
  // Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can change on edit; ephemeral/loading are fixed by Discord.
  const mutable = 4 | (1 << 15);
  if (typeof body['flags'] === 'number') msg.flags = (msg.flags & ~mutable) | (body['flags'] & mutable);
  msg.attachments = [...kept, ...newAttachments(state, msg.channelId, ctx, fileIdx)];
  msg.flags &= ~MessageFlags.Loading;
  const now = state.now();
  msg.editedAt = now;
  msg.history.push(revision(msg, now, ctx.via));
  return msg;
}

export function userToApi(state: FakeState, id: string): Obj {
  const u = state.users.get(id);
  return {
    id,
    username: u?.username ?? 'unknown',
    discriminator: '0',
    global_name: u?.globalName ?? null,
    avatar: null,
    ...(u?.bot ? { bot: true } : {}),
  };
}

export function messageToApi(state: FakeState, msg: FakeMessage): Obj {
  return {
    id: msg.id,
    type: 0,
    channel_id: msg.channelId,
    ...(msg.guildId ? { guild_id: msg.guildId } : {}),
    author: userToApi(state, msg.authorId),
    content: msg.content,
    timestamp: new Date(msg.createdAt).toISOString(),
    edited_timestamp: msg.editedAt === null ? null : new Date(msg.editedAt).toISOString(),
    tts: false,
    mention_everyone: false,
    mentions: msg.mentions.map((id) => userToApi(state, id)),
    mention_roles: [],
    attachments: msg.attachments.map(attachmentToApi),
    embeds: msg.embeds,
    components: msg.components,
    pinned: false,
    flags: msg.flags,
    ...(msg.webhookId ? { webhook_id: msg.webhookId, application_id: msg.webhookId } : {}),
  };
}
