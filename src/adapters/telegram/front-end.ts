import { createHash } from 'node:crypto';
import type { Telegram } from 'telegraf';
import { resultButtons, statusButtons } from '../../core/chat/buttons.ts';
import { captionParts, captionText } from '../../core/chat/caption.ts';
import { EditLanes, type LaneOutcome } from '../../core/chat/edit-lanes.ts';
import { statusText } from '../../core/chat/status-text.ts';
import { type Locale, t } from '#shared/i18n.ts';
import type { FrontEnd, JobResult } from '../../core/jobs/ports.ts';
import { isTerminal, type JobRecord, type JobUpdate } from '../../core/jobs/types.ts';
import { describe, isGone, isNotModified, retryAfterMs } from './api-errors.ts';
import type { TelegramDeps } from './deps.ts';
import { outcomeUnknown, postResendNote } from './resend.ts';
import { revealRows } from './reveal.ts';
import { type Delivered, keyboard, replyTo, replyToUpload, sendResult } from './results.ts';
import type { TelegramMediaLimits } from './result-plan.ts';

/** Where a job is shown, stored with the job so updates and results survive a restart. */
export interface TelegramTarget extends Delivered {
  [key: string]: unknown;
  platform: 'telegram';
  chatId: number;
  chatType: string;
  locale: Locale;
  /** The message the status and results reply to. */
  replyTo?: number;
  statusId?: number;
  statusMedia?: boolean;
  /** The community allowed live previews when the job was made (missing: no previews). */
  previews?: boolean;
  /** The status message was removed once the result was there (a restart does not try again). */
  statusGone?: boolean;
  /** The forum topic asked in: the core's safety stage reads it as the place's channel. */
  topicId?: string;
}

export const targetOf = (job: JobRecord): TelegramTarget | undefined =>
  job.delivery?.platform === 'telegram' ? (job.delivery as TelegramTarget) : undefined;

/** What the front end reads: jobs to update, the chat core for its buttons, its own settings. */
type FrontEndDeps = Pick<TelegramDeps, 'jobs' | 'chat' | 'clock' | 'log' | 'config' | 'links'>;

interface StatusState {
  messageId?: number;
  media: boolean;
  last?: string;
  previewHash?: string;
  /** The newest preview frame: an update carrying none (a coalesced or replaced one) still shows it. */
  preview?: Buffer;
  /** Its first call (the send) was submitted: later ones are edits. */
  opened?: boolean;
}

/**
 * The Telegram side of the job engine: one status message per job, its updates paced by the engine per
 * chat (~1 s private, ~3 s groups) and sent through per-chat lanes (one call per message, latest wins,
 * 429 waited out), and the result as photos, albums or documents.
 */
export class TelegramFrontEnd implements FrontEnd {
  readonly platform = 'telegram' as const;
  readonly lanes: EditLanes;
  readonly #status = new Map<string, StatusState>();
  /** Jobs whose result is in the chat: their status message is gone and no update may bring it back. */
  readonly #resulted = new Set<string>();
  readonly #tg: Telegram;
  readonly #deps: FrontEndDeps;
  readonly limits: TelegramMediaLimits;

  constructor(tg: Telegram, deps: FrontEndDeps, limits: TelegramMediaLimits) {
    this.#tg = tg;
    this.#deps = deps;
    this.limits = limits;
    this.lanes = new EditLanes(deps.clock);
  }

  /** Telegram's flood limits are per chat: the engine spaces a chat's updates by this interval. */
  updateIntervalMs(job: JobRecord): number {
    return targetOf(job)?.chatType === 'private' ? 1000 : 3000;
  }

  updateTarget(job: JobRecord): string {
    return String(targetOf(job)?.chatId ?? job.id);
  }

  update(u: JobUpdate): Promise<void> | undefined {
    const d = targetOf(u.job);
    if (!d || this.#resulted.has(u.job.id)) return;
    const job = u.job;
    // The result replaces the status: a success leaves no "Done" message beside it (see `deliver`).
    if (job.state === 'succeeded') return this.#removeStatus(job.id, d);
    const st = this.#stateOf(job.id, d);
    const live = !isTerminal(job.state) && job.state !== 'delivering';
    const markup = live ? keyboard(statusButtons(job.id, d.locale)) : undefined;
    if (live && u.preview && d.previews === true) st.preview = Buffer.from(u.preview.data);
    // Edits keep the engine's spacing even when one ran late behind the status message's first send.
    const gapMs = st.opened ? this.updateIntervalMs(job) : undefined;
    st.opened = true;
    const op = async () => {
      if (this.#resulted.has(job.id)) return;
      const notes = job.state === 'queued' ? await this.#deps.chat.waitingNote(job) : [];
      const text = statusText(u, d.locale, notes);
      const outcome = await this.#render(job.id, d, st, text, markup, live ? st.preview : undefined);
      if (isTerminal(job.state)) this.#status.delete(job.id);
      return outcome;
    };
    return this.lanes.submit(String(d.chatId), job.id, op, { gapMs });
  }

  /**
   * Sends the result, then removes the job's status message (and its live preview, which is that
   * message): once the images are there the chat holds only them. Repeated after a restart, nothing is
   * sent twice and the status is removed if it is still there.
   */
  async deliver(job: JobRecord, result: JobResult): Promise<void> {
    const { jobs } = this.#deps;
    const d = targetOf((await jobs.get(job.id)) ?? job) ?? targetOf(job);
    if (!d) return;
    if (outcomeUnknown(d)) return this.#noteUnknown(job.id, d);
    await this.sendResultTo(job, result, d.chatId, d.locale, d.replyTo, d, (patch) =>
      jobs.updateDelivery(job.id, { ...patch }).then(() => undefined),
    );
    // Part of the delivery: a shutdown waits for it, so a restart finds the status either gone (and
    // recorded so) or still there to remove.
    await this.#removeStatus(job.id, d);
  }

  /**
   * A repeated delivery found a send of unknown outcome: nothing is sent again on its own; the person is
   * told, with Resend (see `resend.ts`). The note takes the status message's place.
   */
  async #noteUnknown(jobId: string, d: TelegramTarget): Promise<void> {
    this.#markResulted(jobId);
    await this.lanes.submit(String(d.chatId), jobId, async () => undefined); // an edit in flight ends first
    const st = this.#status.get(jobId);
    this.#status.delete(jobId);
    const status = {
      id: st?.messageId ?? (d.statusGone ? undefined : d.statusId),
      media: st?.media ?? d.statusMedia ?? false,
    };
    const save = (p: object) => this.#deps.jobs.updateDelivery(jobId, { ...p }).then(() => undefined);
    await postResendNote({ tg: this.#tg, call: (fn) => this.call(d.chatId, fn), save }, jobId, d, status);
  }

  #markResulted(jobId: string): void {
    this.#resulted.add(jobId);
    if (this.#resulted.size > 10_000) this.#resulted.delete(this.#resulted.values().next().value as string);
  }

  /** Deletes the status message once no edit of it is in flight; later updates of the job are dropped. */
  #removeStatus(jobId: string, d: TelegramTarget): Promise<void> {
    this.#markResulted(jobId);
    return this.lanes.submit(String(d.chatId), jobId, async () => {
      const id = this.#status.get(jobId)?.messageId ?? (d.statusGone ? undefined : d.statusId);
      this.#status.delete(jobId);
      if (id === undefined) return;
      try {
        await this.#tg.deleteMessage(d.chatId, id);
      } catch (e) {
        const wait = retryAfterMs(e);
        if (wait !== undefined) return { retryAfterMs: wait };
        if (!isGone(e)) this.#deps.log.warn({ job: jobId, err: describe(e) }, 'telegram status not removed');
      }
      await this.#deps.jobs.updateDelivery(jobId, { statusGone: true }).catch(() => undefined);
      return undefined;
    });
  }

  /** A file over the Bot API's upload limit: a download link when the HTTP adapter makes one. */
  #tooBigText(job: JobRecord, locale: Locale, name: string, index: number): string {
    const link = this.#deps.links?.outputLink(job, index);
    if (!link) return t(locale, 'chat.failedToSend', { reason: `${name} > 50 MB` });
    const until = new Date(link.expiresAt).toISOString().slice(0, 16).replace('T', ' ');
    return t(locale, 'telegram.tooBigLink', { name, url: link.url, until: `${until} UTC` });
  }

  /** Posts a result with its buttons (also for `/show`, which passes a fresh `delivered`). */
  async sendResultTo(
    job: JobRecord,
    result: JobResult,
    chatId: number,
    locale: Locale,
    reply: number | undefined,
    delivered: Delivered,
    save: (p: Delivered) => Promise<void>,
  ): Promise<void> {
    const images = result.files.filter((f) => f.kind === 'image').length;
    // U and V as on Discord, each only when some healthy backend can run it now.
    const available = this.#deps.chat.offers.derivable(job);
    await sendResult(this.#tg, chatId, result, {
      caption: captionText(job, locale, 1024),
      buttonsText: `${job.id} · ${captionParts(job, locale).details}`,
      tooBigText: (name, index) => this.#tooBigText(job, locale, name, index),
      withheldText: (count) =>
        t(locale, count === 1 ? 'telegram.safety.withheldOne' : 'telegram.safety.withheldMany', { count }),
      buttons: keyboard(resultButtons(job.id, images, locale, available)),
      revealRows: (indices) => revealRows(job.id, indices, locale),
      onWithheld: (count) => this.#tellWithheld(job, chatId, locale, count),
      replyTo: reply,
      limits: this.limits,
      asDocuments: this.#deps.config.sendOriginalsAsDocuments,
      delivered,
      save,
      call: (fn) => this.call(chatId, fn),
    });
  }

  /**
   * The requester learns privately what the safety filter withheld (in a group the chat only gets a short
   * note). A person who never started the bot cannot be written to: the note in the chat is all they get.
   */
  async #tellWithheld(job: JobRecord, chatId: number, locale: Locale, count: number): Promise<void> {
    const userId = Number(job.owner.userId);
    if (job.owner.platform !== 'telegram' || !Number.isSafeInteger(userId) || userId === chatId) return;
    const text = t(locale, 'telegram.safety.withheldPrivate', { count, id: job.id });
    await this.call(userId, () => this.#tg.sendMessage(userId, text)).catch((e: unknown) =>
      this.#deps.log.info({ job: job.id, err: describe(e) }, 'telegram withheld notice not sent'),
    );
  }

  /** Runs one call to a chat, waiting out that chat's 429 pauses (and retrying after a new one). */
  async call<T>(chatId: number, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.lanes.ready(String(chatId));
      try {
        return await fn();
      } catch (e) {
        const wait = retryAfterMs(e);
        if (wait === undefined || attempt >= 5) throw e;
        this.lanes.pause(String(chatId), wait);
      }
    }
  }

  close(): void {
    this.lanes.close();
  }

  #stateOf(jobId: string, d: TelegramTarget): StatusState {
    let st = this.#status.get(jobId);
    if (!st) {
      st = { messageId: d.statusId, media: d.statusMedia ?? false, opened: d.statusId !== undefined };
      this.#status.set(jobId, st);
    }
    return st;
  }

  async #render(
    jobId: string,
    d: TelegramTarget,
    st: StatusState,
    text: string,
    markup: ReturnType<typeof keyboard> | undefined,
    preview: Buffer | undefined,
  ): Promise<LaneOutcome> {
    const chat = d.chatId;
    const key = JSON.stringify([text, markup ?? null]);
    const hash = preview ? createHash('sha1').update(preview).digest('hex') : undefined;
    const newPreview = hash !== undefined && hash !== st.previewHash;
    try {
      if (st.messageId === undefined || (newPreview && !st.media)) {
        const old = st.messageId;
        const extra = markup ? { reply_markup: markup } : {};
        const m = preview
          ? await this.#tg.sendPhoto(
              chat,
              { source: preview, filename: 'preview.jpg' },
              { caption: text, ...extra, ...replyToUpload(d.replyTo) },
            )
          : await this.#tg.sendMessage(chat, text, { ...extra, ...replyTo(d.replyTo) });
        Object.assign(st, { messageId: m.message_id, media: !!preview, last: key, previewHash: hash });
        await this.#deps.jobs.updateDelivery(jobId, { statusId: m.message_id, statusMedia: st.media });
        if (old !== undefined) await this.#tg.deleteMessage(chat, old).catch(() => undefined);
        return;
      }
      if (st.last === key && !newPreview) return;
      const extra = markup ? { reply_markup: markup } : {};
      if (newPreview && preview) {
        await this.#tg.editMessageMedia(
          chat,
          st.messageId,
          undefined,
          { type: 'photo', media: { source: preview, filename: 'preview.jpg' }, caption: text },
          extra,
        );
      } else if (st.media) await this.#tg.editMessageCaption(chat, st.messageId, undefined, text, extra);
      else await this.#tg.editMessageText(chat, st.messageId, undefined, text, extra);
      Object.assign(st, { last: key, previewHash: hash ?? st.previewHash });
    } catch (e) {
      const wait = retryAfterMs(e);
      if (wait !== undefined) return { retryAfterMs: wait };
      if (isNotModified(e)) st.last = key;
      else if (isGone(e) && st.messageId !== undefined) {
        // The status message was deleted: start a new one with the latest state.
        Object.assign(st, { messageId: undefined, media: false, last: undefined, previewHash: undefined });
        return this.#render(jobId, d, st, text, markup, preview);
      } else this.#deps.log.warn({ job: jobId, err: describe(e) }, 'telegram status update failed');
    }
  }
}
