/**
 * The bot's update queue: long polling (getUpdates holds the request until an update arrives,
 * `timeout` passes or the client goes away), offset confirmation, the 409 conflicts, and
 * webhook delivery when a webhook is set.
 */
import type { FakeClock } from './clock.ts';
import { Fail, type TelegramFailure } from './errors.ts';
import type { Json } from './state.ts';

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: string[];
  setAt: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface UpdateLogEntry {
  update: Json;
  /** False when the bot could not receive it (privacy mode, allowed_updates). */
  delivered: boolean;
  reason?: string;
  at: number;
}

/** Delivers one update to the webhook; throws with Telegram's `last_error_message` wording on failure. */
export type WebhookDeliver = (hook: WebhookConfig, update: Json) => Promise<void>;

interface Waiter {
  limit: number;
  settle(result: Json[] | TelegramFailure): void;
}

const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export class UpdateQueue {
  readonly log: UpdateLogEntry[] = [];
  webhook: WebhookConfig | undefined;
  allowedUpdates: string[] = [];
  /** Delivered updates confirmed by the webhook (HTTP 2xx). */
  readonly webhookDelivered: Json[] = [];
  private readonly clock: FakeClock;
  private readonly deliver: WebhookDeliver;
  private readonly retryMs: number;
  private queue: Json[] = [];
  private nextId = 100_000_001;
  private waiter: Waiter | undefined;
  private delivering = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(clock: FakeClock, deliver: WebhookDeliver, opts: { webhookRetryMs?: number } = {}) {
    this.clock = clock;
    this.deliver = deliver;
    this.retryMs = opts.webhookRetryMs ?? 100;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Builds an update with the next update_id and queues it (or logs why the bot can't get it). */
  push(kind: string, payload: Json, filteredReason?: string): Json {
    const update: Json = { update_id: this.nextId++, [kind]: payload };
    const allowed = this.webhook?.allowedUpdates ?? this.allowedUpdates;
    const reason =
      filteredReason ??
      (allowed.length > 0
        ? allowed.includes(kind)
          ? undefined
          : 'allowed_updates'
        : NOT_BY_DEFAULT.has(kind)
          ? 'allowed_updates'
          : undefined);
    this.log.push({
      update,
      delivered: reason === undefined,
      ...(reason ? { reason } : {}),
      at: this.clock.now(),
    });
    if (reason !== undefined) return update;
    this.queue.push(update);
    if (this.webhook) void this.deliverLoop();
    else this.wake();
    return update;
  }

  async getUpdates(
    p: { offset?: number; limit?: number; timeout?: number; allowed?: string[] },
    signal: AbortSignal,
  ): Promise<Json[]> {
    if (this.webhook) throw Fail.webhookActive();
    this.waiter?.settle(Fail.pollConflict());
    this.waiter = undefined;
    if (p.allowed) this.allowedUpdates = p.allowed;
    this.confirm(p.offset);
    const limit = Math.min(100, Math.max(1, p.limit ?? 100));
    if (this.queue.length > 0 || !p.timeout || p.timeout <= 0 || this.closed)
      return this.queue.slice(0, limit);
    const timeoutMs = p.timeout * 1000;
    const deadline = this.clock.now() + timeoutMs;
    return await new Promise<Json[]>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener('abort', onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
      };
      const waiter: Waiter = {
        limit,
        settle: (result) => {
          cleanup();
          if (Array.isArray(result)) resolve(result);
          else reject(result);
        },
      };
      const onAbort = (): void => waiter.settle([]);
      const timer = setTimeout(() => waiter.settle([]), timeoutMs);
      const unsubscribe = this.clock.onChange(() => {
        if (this.clock.now() >= deadline) waiter.settle([]);
      });
      signal.addEventListener('abort', onAbort);
      this.waiter = waiter;
    });
  }

  setWebhook(hook: WebhookConfig, dropPending: boolean): void {
    this.waiter?.settle(Fail.pollTerminatedBySetWebhook());
    this.waiter = undefined;
    if (dropPending) this.queue = [];
    this.webhook = hook;
    void this.deliverLoop();
  }

  deleteWebhook(dropPending: boolean): boolean {
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    if (dropPending) this.queue = [];
    return had;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.waiter?.settle([]);
    this.waiter = undefined;
  }

  /** offset > 0 confirms every update below it; offset < 0 keeps only the last -offset updates. */
  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset > 0) this.queue = this.queue.filter((u) => (u.update_id as number) >= offset);
    else this.queue = this.queue.slice(offset);
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    w.settle(this.queue.slice(0, w.limit));
  }

  private async deliverLoop(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (!this.closed && this.webhook && this.queue.length > 0) {
        const hook = this.webhook;
        const update = this.queue[0] as Json;
        try {
          await this.deliver(hook, update);
          if (this.queue[0] === update) this.queue.shift();
          this.webhookDelivered.push(update);
        } catch (err) {
          hook.lastErrorDate = this.clock.unix();
          hook.lastErrorMessage = err instanceof Error ? err.message : String(err);
          await new Promise<void>((resolve) => {
            this.retryTimer = setTimeout(resolve, this.retryMs);
          });
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
