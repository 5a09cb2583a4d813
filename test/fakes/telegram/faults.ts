/** Injected failures (429 and others), the optional per-chat flood rule, and the edit-rate report. */
import type { FakeClock } from './clock.ts';
import { Fail, Rules, TelegramFailure, type ResponseParameters } from './errors.ts';
import type { CallRecord, FakeState } from './state.ts';

export interface InjectOptions {
  /** Method name (case-insensitive) or pattern; any method when omitted. */
  method?: string | RegExp;
  chatId?: number | string;
  /** How many matching calls fail; default 1. */
  times?: number;
}

export interface Inject429Options extends InjectOptions {
  /** Seconds, as `parameters.retry_after`; default 1. */
  retryAfter?: number;
}

export interface InjectFailureOptions extends InjectOptions {
  status: number;
  description: string;
  parameters?: ResponseParameters;
}

export interface InjectionHandle {
  /** Matching calls still to fail. */
  remaining(): number;
  cancel(): void;
}

/** Optional flood rule: more than `maxPerWindow` sends/edits to one chat inside `windowMs`. */
export interface FloodRule {
  windowMs: number;
  maxPerWindow: number;
  /** Answer the excess call with 429 (retry_after = rest of the window) instead of only recording it. */
  respond429?: boolean;
}

export interface EditRateRow {
  chatId: number;
  messageId?: number;
  edits: number;
  /** Most edit calls inside any `windowMs` window. */
  maxPerWindow: number;
  /** Shortest gap between two edit calls, in ms (Infinity with fewer than two). */
  minIntervalMs: number;
}

export interface EditRateReport {
  windowMs: number;
  perChat: EditRateRow[];
  perMessage: EditRateRow[];
}

interface Injection {
  match: InjectOptions;
  left: number;
  failure: () => TelegramFailure;
}

const COUNTED = /^(send|edit|copy|forward)/i;
const EDIT = /^edit/i;

export class Faults {
  private readonly injections: Injection[] = [];
  /** chat (or method when there is no chat) → time until which a 429 told the bot to wait. */
  private readonly waitUntil = new Map<string, number>();
  private readonly sends = new Map<number, number[]>();
  private readonly clock: FakeClock;
  private readonly state: FakeState;
  flood: FloodRule | undefined;

  constructor(clock: FakeClock, state: FakeState, flood?: FloodRule) {
    this.clock = clock;
    this.state = state;
    this.flood = flood;
  }

  inject(match: InjectOptions, failure: () => TelegramFailure): InjectionHandle {
    const inj: Injection = { match, left: match.times ?? 1, failure };
    this.injections.push(inj);
    return {
      remaining: () => inj.left,
      cancel: () => {
        inj.left = 0;
      },
    };
  }

  inject429(o: Inject429Options): InjectionHandle {
    return this.inject(o, () => Fail.tooManyRequests(o.retryAfter ?? 1));
  }

  injectFailure(o: InjectFailureOptions): InjectionHandle {
    return this.inject(o, () => new TelegramFailure(o.status, Rules.injected, o.description, o.parameters));
  }

  /** Runs before the method: throws an injected or flood failure; records early retries. */
  before(method: string, chatId: number | undefined): void {
    const now = this.clock.now();
    const key = chatId === undefined ? `method:${method.toLowerCase()}` : `chat:${chatId}`;
    const until = this.waitUntil.get(key);
    if (until !== undefined && now < until) {
      this.state.violate({
        rule: Rules.retryTooEarly,
        method,
        description: `called ${Math.ceil((until - now) / 1000)} s before retry_after expired`,
        status: 0,
        rejected: false,
        ...(chatId === undefined ? {} : { chatId }),
        at: now,
      });
    }
    const inj = this.injections.find((i) => i.left > 0 && matches(i.match, method, chatId));
    if (inj) {
      inj.left--;
      throw this.remember(key, inj.failure());
    }
    if (chatId !== undefined && COUNTED.test(method)) this.checkFlood(method, chatId, key, now);
  }

  private checkFlood(method: string, chatId: number, key: string, now: number): void {
    const times = this.sends.get(chatId) ?? [];
    times.push(now);
    this.sends.set(chatId, times);
    const rule = this.flood;
    if (!rule) return;
    const inWindow = times.filter((t) => t > now - rule.windowMs);
    if (inWindow.length <= rule.maxPerWindow) return;
    const retryAfter = Math.max(1, Math.ceil(((inWindow[0] ?? now) + rule.windowMs - now) / 1000));
    const failure = Fail.tooManyRequests(retryAfter, Rules.flood);
    if (rule.respond429) {
      times.pop();
      throw this.remember(key, failure);
    }
    this.state.violate({
      rule: Rules.flood,
      method,
      description: `${inWindow.length} sends/edits to chat ${chatId} within ${rule.windowMs} ms (max ${rule.maxPerWindow})`,
      status: 0,
      rejected: false,
      chatId,
      at: now,
    });
  }

  private remember(key: string, failure: TelegramFailure): TelegramFailure {
    const retry = failure.body.parameters?.retry_after;
    if (failure.status === 429 && retry !== undefined)
      this.waitUntil.set(key, this.clock.now() + retry * 1000);
    return failure;
  }
}

function matches(m: InjectOptions, method: string, chatId: number | undefined): boolean {
  if (typeof m.method === 'string' && m.method.toLowerCase() !== method.toLowerCase()) return false;
  if (m.method instanceof RegExp && !m.method.test(method)) return false;
  if (m.chatId !== undefined && Number(m.chatId) !== chatId) return false;
  return true;
}

/** Edit calls (accepted or not) per chat and per message, from the call log. */
export function editRates(calls: readonly CallRecord[], windowMs = 1000): EditRateReport {
  const perChat = new Map<number, number[]>();
  const perMessage = new Map<string, number[]>();
  for (const c of calls) {
    if (!EDIT.test(c.method)) continue;
    const chatId = Number(c.params.chat_id);
    const messageId = Number(c.params.message_id);
    if (!Number.isFinite(chatId)) continue;
    push(perChat, chatId, c.at);
    if (Number.isFinite(messageId)) push(perMessage, `${chatId}:${messageId}`, c.at);
  }
  const rows = <K>(
    m: Map<K, number[]>,
    ids: (k: K) => Pick<EditRateRow, 'chatId' | 'messageId'>,
  ): EditRateRow[] =>
    [...m]
      .map(([k, times]) => ({ ...ids(k), ...rate(times, windowMs) }))
      .sort((a, b) => b.maxPerWindow - a.maxPerWindow);
  return {
    windowMs,
    perChat: rows(perChat, (chatId) => ({ chatId })),
    perMessage: rows(perMessage, (k) => {
      const [chatId, messageId] = k.split(':').map(Number);
      return { chatId: chatId ?? 0, messageId: messageId ?? 0 };
    }),
  };
}

function push<K>(m: Map<K, number[]>, k: K, t: number): void {
  const list = m.get(k);
  if (list) list.push(t);
  else m.set(k, [t]);
}

function rate(times: number[], windowMs: number): Omit<EditRateRow, 'chatId' | 'messageId'> {
  const sorted = [...times].sort((a, b) => a - b);
  let maxPerWindow = 0;
  let minIntervalMs = Number.POSITIVE_INFINITY;
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i] as number;
    while ((sorted[start] as number) <= t - windowMs) start++;
    maxPerWindow = Math.max(maxPerWindow, i - start + 1);
    if (i > 0) minIntervalMs = Math.min(minIntervalMs, t - (sorted[i - 1] as number));
  }
  return { edits: sorted.length, maxPerWindow, minIntervalMs };
}
