/**
 * A fake Telegram Bot API on 127.0.0.1 for end-to-end tests with the real telegraf.
 *
 * @example
 * const fake = await startFakeTelegram();
 * const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
 * const user = fake.addUser({ first_name: 'Ada' });
 * await fake.userSends({ userId: user.id, text: '/start' });
 */
import type { Server } from 'node:http';
import type { Update } from '@telegraf/types';
import { createClock, type FakeClock } from './clock.ts';
import { createDispatcher } from './dispatch.ts';
import {
  type EditRateReport,
  editRates,
  Faults,
  type FloodRule,
  type Inject429Options,
  type InjectFailureOptions,
  type InjectionHandle,
} from './faults.ts';
import { FileStore } from './files.ts';
import type { FakeSettings } from './methods/index.ts';
import { listen } from './server.ts';
import { type PressButtonOptions, pressButton, type UserSendsOptions, userSends } from './simulate.ts';
import {
  type BotInfo,
  type CallbackQueryRecord,
  type CallRecord,
  type ChatType,
  type CommandSet,
  FakeState,
  type FakeUser,
  type Json,
  type StoredMessage,
  type Violation,
} from './state.ts';
import { type UpdateLogEntry, UpdateQueue, type WebhookConfig } from './updates.ts';
import { type WaitForOptions, waitFor } from './wait-for.ts';
import { createWebhookDeliver, type WebhookOptions } from './webhook.ts';

export interface FakeTelegramOptions {
  token?: string;
  botInfo?: Partial<Omit<BotInfo, 'is_bot'>>;
  /**
   * A fake clock to share, or options for a new one (default: real time, advanceable); `source`: read
   * the app's clock, so pacing and retry_after are measured in the bot's time.
   */
  clock?: FakeClock | Parameters<typeof createClock>[0];
  /** answerCallbackQuery later than this after the press fails; default 15000. */
  callbackAnswerDeadlineMs?: number;
  /** Group privacy mode; default `!botInfo.can_read_all_group_messages` (on, as for new bots). */
  privacyMode?: boolean;
  flood?: FloodRule;
  webhook?: WebhookOptions & { enforcePorts?: boolean; retryMs?: number };
}

export interface AddChatOptions {
  id?: number;
  type: ChatType;
  title?: string;
  ownerId?: number;
  members?: number[];
}

export interface AddUserOptions {
  id?: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeTelegram {
  /** For `new Telegraf(token, { telegram: { apiRoot } })`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: BotInfo;
  readonly clock: FakeClock;
  readonly settings: FakeSettings;
  /** Adds a group or supergroup (the bot is in it); for `private`, returns the chat addUser() made. */
  addChat(o: AddChatOptions): Json;
  /** Adds a user who has started the bot: their private chat (id = user id) exists. */
  addUser(o: AddUserOptions): FakeUser;
  setAdmin(chatId: number, userId: number): void;
  userSends(o: UserSendsOptions): Promise<Update>;
  /** Returns the callback query id. */
  pressButton(o: PressButtonOptions): string;
  /** Current (not deleted) messages of a chat, oldest first; `includeDeleted` adds deleted ones. */
  messages(chatId: number, opts?: { includeDeleted?: boolean }): StoredMessage[];
  message(chatId: number, messageId: number): StoredMessage | undefined;
  /** The Bot API `Message` object as the bot would see it now. */
  apiMessage(chatId: number, messageId: number): Json | undefined;
  callbackQueries(): CallbackQueryRecord[];
  callbackAnswers(): (CallbackQueryRecord & { answer: NonNullable<CallbackQueryRecord['answer']> })[];
  /** Every call (also rejected ones), in arrival order. */
  readonly calls: readonly CallRecord[];
  callsTo(method: string): CallRecord[];
  violations(): Violation[];
  /** Command lists set with setMyCommands, one per scope + language_code. */
  commands(): CommandSet[];
  chatActions(): { chatId: number; action: string; at: number }[];
  /** Every update produced, with whether the bot could receive it. */
  updateLog(): UpdateLogEntry[];
  webhook(): WebhookConfig | undefined;
  /** Updates the webhook accepted (2xx). */
  webhookDelivered(): Json[];
  inject429(o: Inject429Options): InjectionHandle;
  injectFailure(o: InjectFailureOptions): InjectionHandle;
  /** Edit calls per chat and per message: max in any `windowMs` window and the shortest gap. */
  editRates(windowMs?: number): EditRateReport;
  /** Bugs inside the fake itself (answered with 500); tests should expect none. */
  internalErrors(): unknown[];
  waitFor<T>(
    predicate: (fake: FakeTelegram) => T | undefined | null | false,
    opts?: WaitForOptions,
  ): Promise<T>;
  /** Waits for the `n`-th (default first) finished call to `method`. */
  waitForCall(method: string, opts?: WaitForOptions & { n?: number }): Promise<CallRecord>;
  close(): Promise<void>;
}

let botCounter = 0;

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const botId = opts.botInfo?.id ?? 7_000_000_000 + ++botCounter;
  const token = opts.token ?? `${botId}:AAF${'x'.repeat(32)}`;
  const botInfo: BotInfo = {
    id: botId,
    is_bot: true,
    first_name: 'ComfyRelay Test',
    username: `comfyrelay_test_${botCounter}_bot`,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    ...opts.botInfo,
  };
  const clock = opts.clock && 'unix' in opts.clock ? opts.clock : createClock(opts.clock ?? {});
  const settings: FakeSettings = {
    callbackAnswerDeadlineMs: opts.callbackAnswerDeadlineMs ?? 15_000,
    privacyMode: opts.privacyMode ?? !botInfo.can_read_all_group_messages,
    webhookEnforcePorts: opts.webhook?.enforcePorts ?? false,
  };
  const state = new FakeState(botInfo);
  const store = new FileStore();
  const faults = new Faults(clock, state, opts.flood);
  const internalErrors: unknown[] = [];
  // The queue needs the dispatcher (webhook replies) and the dispatcher needs the queue.
  let dispatch: ReturnType<typeof createDispatcher> | undefined;
  const updates = new UpdateQueue(
    clock,
    (hook, update) => {
      if (!dispatch) throw new Error('not started');
      return createWebhookDeliver(dispatch, opts.webhook)(hook, update);
    },
    opts.webhook?.retryMs === undefined ? {} : { webhookRetryMs: opts.webhook.retryMs },
  );
  dispatch = createDispatcher({ state, store, updates, faults, clock, settings, internalErrors });
  const { server, apiRoot } = await listen({ token, dispatch, store, state, now: clock.now });
  const sim = { state, store, updates, clock, privacyMode: () => settings.privacyMode };

  const fake: FakeTelegram = {
    apiRoot,
    token,
    botInfo,
    clock,
    settings,
    addChat(o) {
      if (o.type === 'private') {
        // A private chat's id is the user's id; addUser() already made it.
        const existing = o.id === undefined ? undefined : state.chats.get(o.id);
        if (existing?.type !== 'private')
          throw new Error(
            'fake-telegram: addChat({type: "private"}) needs the id of a user added with addUser()',
          );
        return state.chatJson(existing);
      }
      const id = o.id ?? state.nextChatId(o.type);
      const chat = {
        id,
        type: o.type,
        title: o.title ?? `Test ${o.type} ${Math.abs(id)}`,
        admins: new Set<number>(),
        members: new Set<number>(o.members ?? []),
        nextMessageId: 1,
        ...(o.ownerId !== undefined ? { ownerId: o.ownerId } : {}),
      };
      if (o.ownerId !== undefined) chat.members.add(o.ownerId);
      state.chats.set(id, chat);
      return state.chatJson(chat);
    },
    addUser(o) {
      const user: FakeUser = { ...o, id: o.id ?? state.nextUserId(), is_bot: false };
      state.users.set(user.id, user);
      state.chats.set(user.id, {
        id: user.id,
        type: 'private',
        userId: user.id,
        admins: new Set(),
        members: new Set([user.id]),
        nextMessageId: 1,
      });
      return user;
    },
    setAdmin(chatId, userId) {
      const chat = state.chats.get(chatId);
      if (!chat) throw new Error(`fake-telegram: unknown chat ${chatId}`);
      chat.admins.add(userId);
      chat.members.add(userId);
    },
    userSends: async (o) => (await userSends(sim, o)) as unknown as Update,
    pressButton: (o) => pressButton(sim, o),
    messages(chatId, o = {}) {
      const all = [...(state.messages.get(chatId)?.values() ?? [])];
      return all.filter((m) => o.includeDeleted || m.deletedAt === undefined);
    },
    message: (chatId, messageId) => state.message(chatId, messageId),
    apiMessage(chatId, messageId) {
      const m = state.message(chatId, messageId);
      return m ? state.toApi(m) : undefined;
    },
    callbackQueries: () => [...state.callbackQueries.values()],
    callbackAnswers: () =>
      [...state.callbackQueries.values()].filter(
        (q): q is CallbackQueryRecord & { answer: NonNullable<CallbackQueryRecord['answer']> } =>
          q.answer !== undefined,
      ),
    calls: state.calls,
    callsTo: (method) => state.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
    violations: () => [...state.violations],
    commands: () => [...state.commandSets.values()],
    chatActions: () => [...state.chatActions],
    updateLog: () => [...updates.log],
    webhook: () => updates.webhook,
    webhookDelivered: () => [...updates.webhookDelivered],
    inject429: (o) => faults.inject429(o),
    injectFailure: (o) => faults.injectFailure(o),
    editRates: (windowMs) => editRates(state.calls, windowMs),
    internalErrors: () => [...internalErrors],
    waitFor: (predicate, o) => waitFor(() => predicate(fake), o),
    waitForCall(method, o = {}) {
      const n = o.n ?? 1;
      return waitFor(() => fake.callsTo(method).filter((c) => c.status !== undefined)[n - 1], {
        message: `call #${n} to ${method}`,
        ...o,
      });
    },
    close: () => closeServer(server, updates),
  };
  return fake;
}

async function closeServer(server: Server, updates: UpdateQueue): Promise<void> {
  updates.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export type {
  EditRateReport,
  FloodRule,
  Inject429Options,
  InjectFailureOptions,
  InjectionHandle,
} from './faults.ts';
export type { ClockSource, FakeClock } from './clock.ts';
export type { PressButtonOptions, UserSendsOptions } from './simulate.ts';
export type { BotInfo, CallbackQueryRecord, CallRecord, StoredMessage, Violation } from './state.ts';
export { waitFor } from './wait-for.ts';
