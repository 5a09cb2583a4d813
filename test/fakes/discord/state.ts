/** In-memory state of the fake Discord, plus the records tests assert on. */
import type { FakeClock } from './clock.ts';
import type { RuleName } from './errors.ts';
import { Limits } from './limits.ts';
import { createSnowflakes } from './snowflake.ts';

export type Obj = Record<string, unknown>;

export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
  locale: string;
  bot: boolean;
}

export interface FakeChannel {
  id: string;
  guildId: string | null;
  name: string;
  /** 0 = GUILD_TEXT, 1 = DM. */
  type: number;
  nsfw: boolean;
  position: number;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: string;
  position: number;
}

export interface FakeMember {
  userId: string;
  roles: string[];
  /** Effective permissions in interaction payloads (`member.permissions`). */
  permissions: string;
  joinedAt: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  roles: FakeRole[];
  channelIds: string[];
  members: Map<string, FakeMember>;
  joinedAt: number;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  bytes: Uint8Array;
  url: string;
  description?: string;
  width?: number;
  height?: number;
}

export interface MessageRevision {
  at: number;
  /** Which route produced it, e.g. `callback:4`, `PATCH webhook @original`, `PATCH channel`. */
  via: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: { id: string; filename: string; size: number; contentType: string }[];
  flags: number;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  createdAt: number;
  editedAt: number | null;
  /** Creation plus every edit, oldest first. */
  history: MessageRevision[];
  webhookId: string | null;
  interactionId: string | null;
  mentions: string[];
  deleted: boolean;
}

export interface CallbackAttempt {
  at: number;
  /** Clock ms since dispatch. */
  latencyMs: number;
  type: number;
  status: number;
  code?: number;
}

export type InteractionStatus = 'pending' | 'acknowledged' | 'did-not-respond';

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  commandName: string | null;
  customId: string | null;
  guildId: string | null;
  channelId: string;
  userId: string;
  dispatchedAt: number;
  /** False when no gateway session owned the guild's shard. */
  delivered: boolean;
  status: InteractionStatus;
  ack: { type: number; at: number; latencyMs: number } | null;
  callbacks: CallbackAttempt[];
  originalMessageId: string | null;
  sourceMessageId: string | null;
  followupIds: string[];
  choices: unknown[] | null;
  modal: unknown;
  attachmentSizeLimit: number;
  payload: Obj;
}

export interface Violation {
  rule: RuleName;
  status: number;
  code: number;
  message: string;
  method: string;
  path: string;
  at: number;
  interactionId?: string;
  messageId?: string;
  detail?: unknown;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  at: number;
  authorized: boolean;
}

export interface CommandRegistration {
  method: string;
  /** `'global'` or the guild id. */
  scope: string;
  at: number;
  body: unknown;
  status: number;
}

export class FakeState {
  readonly clock: FakeClock;
  readonly nextId: () => string;
  baseUrl = '';
  attachmentSizeLimit: number = Limits.defaultAttachmentSize;
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly interactionsById = new Map<string, InteractionRecord>();
  /** Files served under /attachments/ (user uploads and bot messages). */
  readonly files = new Map<string, StoredAttachment>();
  readonly commands = new Map<string, Obj[]>();
  readonly registrations: CommandRegistration[] = [];
  readonly violations: Violation[] = [];
  readonly requests: RequestLogEntry[] = [];
  /** Channels where the bot lacks Attach Files: writes with files answer 403/50013. */
  readonly noAttachFiles = new Set<string>();

  constructor(clock: FakeClock) {
    this.clock = clock;
    this.nextId = createSnowflakes(() => clock.now());
  }

  now(): number {
    return this.clock.now();
  }

  violate(v: Omit<Violation, 'at'>): void {
    this.violations.push({ ...v, at: this.now() });
  }

  channel(id: string): FakeChannel | undefined {
    return this.channels.get(id);
  }
}
