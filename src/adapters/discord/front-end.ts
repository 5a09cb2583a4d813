import { DiscordAPIError, type REST, Routes } from 'discord.js';
import { EditLanes } from '../../core/chat/edit-lanes.ts';
import { humanDuration } from '../../core/chat/status-text.ts';
import { type Locale, t, toLocale, type UserMessage } from '#shared/i18n.ts';
import type { FrontEnd, JobResult, ResultFile } from '../../core/jobs/ports.ts';
import { type DeliveryTarget, isTerminal, type JobRecord, type JobUpdate } from '../../core/jobs/types.ts';
import type { DiscordDeps } from './deps.ts';
import { tellRequester } from './private-notice.ts';
import { components, type Payload, resultPayload, statusPayload, textPayload } from './render.ts';
import { discordMedia } from './result-files.ts';
import { revealId, type SafetyView, safetyView, withheldNotice } from './safety-view.ts';

/** Where an interaction's reply can be edited without its job (`JobEngine.expect`). */
export const expectedTarget = (i: { applicationId: string; token: string; locale: string }) => ({
  platform: 'discord' as const,
  appId: i.applicationId,
  token: i.token,
  locale: toLocale(i.locale),
});

/** Where a job is shown on Discord, stored with the job so edits and the result survive a restart. */
export interface DiscordTarget extends DeliveryTarget {
  platform: 'discord';
  channelId: string;
  /** The status message (the deferred reply, a followup, or a channel message). */
  messageId: string;
  appId: string;
  /** Interaction token, valid 15 minutes; after that the bot token edits the message. */
  token?: string;
  tokenExpiresAt?: number;
  viaChannel?: boolean;
  ephemeral?: boolean;
  locale: Locale;
  /** `interaction.attachmentSizeLimit` (per file) when the job was asked for. */
  sizeLimit: number;
  previews: boolean;
  /** The bot may attach files and embed links in the channel. */
  canPost: boolean;
  /** Which of the two it lacks, when `canPost` is false. */
  missing?: MissingPermission[];
  /** The guild, for a link to the result (absent in DMs). */
  guildId?: string;
  /** The requester was told privately about withheld files (so a retried delivery does not repeat it). */
  privateNoticeSent?: boolean;
}

export type MissingPermission = 'attachFiles' | 'embedLinks';

/** What the front end reads: jobs to edit, templates for the buttons, the chat core for notes and offers. */
type FrontEndDeps = Pick<DiscordDeps, 'jobs' | 'templates' | 'chat' | 'clock' | 'log' | 'links'> & {
  config: Pick<DiscordDeps['config'], 'mentionAfterSeconds'>;
};

/** Switch to the bot token a minute before the interaction token's 15 minutes run out. */
const SWITCH_BEFORE_MS = 60_000;
const TOKEN_GONE = new Set([50027, 10015]);
const MESSAGE_GONE = new Set([10008, 10003, 50001, 50005, 50013]);
const MISSING_PERMISSIONS = 50013;
const CANNOT_POST = new Set([MISSING_PERMISSIONS, 40005, 50035]);

/**
 * The engine's Discord port. Every message has at most one edit in flight; newer status edits replace a
 * pending one (latest wins), and once the result or a terminal state is queued no status edit follows.
 */
export class DiscordFrontEnd implements FrontEnd {
  readonly platform = 'discord' as const;
  readonly #deps: FrontEndDeps;
  readonly #rest: REST;
  readonly #lanes: EditLanes;
  readonly #finished = new Set<string>();
  /** job → the status text last written, so a refresh that changes nothing costs no edit. */
  readonly #shown = new Map<string, string>();

  constructor(deps: FrontEndDeps, rest: REST) {
    this.#deps = deps;
    this.#rest = rest;
    this.#lanes = new EditLanes(deps.clock);
  }

  /** Status edits of one message at least this far apart (the engine paces them). */
  updateIntervalMs(): number {
    return 1500;
  }

  update(u: JobUpdate): Promise<void> {
    const target = u.job.delivery as DiscordTarget | undefined;
    if (!target?.messageId || u.job.state === 'succeeded') return Promise.resolve();
    return this.#enqueue(u.job.id, isTerminal(u.job.state), async () => {
      const notes = u.job.state === 'queued' ? await this.#deps.chat.waitingNote(u.job) : [];
      const payload = statusPayload(u, target.locale, target.previews, notes);
      const shown = payload.files?.length ? undefined : JSON.stringify(payload.body);
      if (shown && this.#shown.get(u.job.id) === shown) return;
      await this.write(u.job.id, payload);
      this.#shown.delete(u.job.id);
      if (shown && !isTerminal(u.job.state)) this.#shown.set(u.job.id, shown);
      if (this.#shown.size > 10_000) this.#shown.delete(this.#shown.keys().next().value as string);
    });
  }

  /** A request answered "thinking" whose process died before its job was made: say so in that reply. */
  async interrupted(target: DeliveryTarget, message: UserMessage): Promise<void> {
    const to = target as ReturnType<typeof expectedTarget>;
    const { body } = textPayload([message], to.locale);
    await this.#rest.patch(Routes.webhookMessage(to.appId, to.token, '@original'), { body, auth: false });
  }

  async deliver(job: JobRecord, result: JobResult): Promise<void> {
    const target = job.delivery as DiscordTarget | undefined;
    if (!target?.messageId) return;
    const { payload, withheld } = await this.#present(job, result, target);
    this.#shown.delete(job.id);
    await this.#enqueue(job.id, true, async () => {
      try {
        await this.write(job.id, payload);
        await this.#mentionIfLong(job);
      } catch (error) {
        if (!(error instanceof DiscordAPIError) || !CANNOT_POST.has(Number(error.code))) throw error;
        this.#deps.log.warn({ job: job.id, code: error.code }, 'discord refused the result; sending text');
        const message =
          Number(error.code) === MISSING_PERMISSIONS
            ? this.#missing(
                target.locale,
                payload.files?.length ? ['attachFiles'] : ['attachFiles', 'embedLinks'],
              )
            : { code: 'chat.failedToSend', params: { reason: error.message } };
        await this.write(job.id, textPayload([message], target.locale));
      }
    });
    // Withheld files: the channel only reads that something was withheld; the requester learns why.
    if (withheld.length && !target.ephemeral)
      await tellRequester(this.#deps, this.#rest, job, withheldNotice(job, withheld));
  }

  /** The result message of a finished job (also for `/show`), fitted to the target's size limit. */
  async resultFor(
    job: JobRecord,
    result: JobResult,
    target: Pick<DiscordTarget, 'sizeLimit' | 'locale' | 'canPost' | 'missing'>,
  ): Promise<Payload> {
    return (await this.#present(job, result, target)).payload;
  }

  /**
   * The result as this place may see it (each file's safety decision applied), fitted to the size
   * limit, with "Show original" under blurred images; and the rules of the files withheld.
   */
  async #present(
    job: JobRecord,
    result: JobResult,
    target: Pick<DiscordTarget, 'sizeLimit' | 'locale' | 'canPost' | 'missing'>,
  ): Promise<{ payload: Payload; withheld: SafetyView['blocked'] }> {
    const view = safetyView(result);
    if (!target.canPost) {
      const missing = this.#missing(target.locale, target.missing ?? ['attachFiles', 'embedLinks']);
      return { payload: textPayload([missing], target.locale), withheld: view.blocked };
    }
    const links = this.#deps.links;
    const { media, notes } = await discordMedia(view.result, {
      sizeLimit: target.sizeLimit,
      grid: view.plain,
      // A file shown as made keeps its bytes: that finds its index among the job's files.
      ...(links
        ? {
            linkFor: (f: ResultFile) =>
              links.outputLink(
                job,
                result.files.findIndex((o) => o.bytes === f.bytes),
              ),
          }
        : {}),
    });
    const { chat, templates } = this.#deps;
    // Only buttons some healthy backend can serve now.
    const available = chat.offers.derivable(job);
    const params = templates.get(job.request.template)?.params ?? {};
    const defaults = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.default]));
    const texts = [...view.notes, ...notes].map((m) => t(target.locale, m.code, m.params));
    const payload = resultPayload(
      job,
      { ...media, texts: [...media.texts, ...texts] },
      target.locale,
      available,
      defaults,
    );
    if (view.blurred.length) {
      const label = t(target.locale, 'discord.safety.show');
      const reveal = view.blurred.slice(0, 5).map((index, n) => ({
        id: revealId(job.id, index),
        action: 'show' as const,
        label: view.blurred.length > 1 ? `${label} ${n + 1}` : label,
        style: 'secondary' as const,
      }));
      const rows = payload.body.components as unknown[];
      payload.body.components = [...rows.slice(0, 4), ...components([reveal])];
    }
    return { payload, withheld: view.blocked };
  }

  /**
   * Edits the job's message: with the interaction token while it is fresh, then with the bot token, and
   * when the message cannot be edited any more, posts a new one (and remembers its id).
   */
  async write(jobId: string, p: Payload): Promise<void> {
    const { jobs, clock } = this.#deps;
    const job = await jobs.get(jobId);
    const to = job?.delivery as DiscordTarget | undefined;
    if (!to) return;
    const opts = { body: p.body, files: p.files ?? [] };
    if (to.token && !to.viaChannel && clock.now() < (to.tokenExpiresAt ?? 0) - SWITCH_BEFORE_MS) {
      try {
        await this.#rest.patch(Routes.webhookMessage(to.appId, to.token, to.messageId), {
          ...opts,
          auth: false,
        });
        return;
      } catch (error) {
        if (!(error instanceof DiscordAPIError) || !TOKEN_GONE.has(Number(error.code)) || to.ephemeral)
          throw error;
      }
    }
    if (to.ephemeral) return;
    try {
      await this.#rest.patch(Routes.channelMessage(to.channelId, to.messageId), opts);
      if (!to.viaChannel) await jobs.updateDelivery(jobId, { viaChannel: true });
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || !MESSAGE_GONE.has(Number(error.code))) throw error;
      const msg = (await this.#rest.post(Routes.channelMessages(to.channelId), opts)) as { id: string };
      await jobs.updateDelivery(jobId, { messageId: msg.id, viaChannel: true });
    }
  }

  /** "I need the Attach Files permission here", with the permission names in the person's language. */
  #missing(locale: Locale, perms: readonly MissingPermission[]): UserMessage {
    const names = perms.map((p) => t(locale, `discord.permission.${p}`));
    return {
      code: 'discord.missingPermissions',
      params: { permissions: names.join(locale === 'zh' ? '、' : ', ') },
    };
  }

  /**
   * A job that took long is announced in a new message that mentions its owner (an edit notifies no one),
   * with a link to the result. Not for private results, nor when `discord.mentionAfterSeconds` is 0.
   */
  async #mentionIfLong(job: JobRecord): Promise<void> {
    const after = this.#deps.config.mentionAfterSeconds * 1000;
    const took = (job.finishedAt ?? this.#deps.clock.now()) - job.createdAt;
    const to = (await this.#deps.jobs.get(job.id))?.delivery as DiscordTarget | undefined;
    if (!after || took < after || !to || to.ephemeral || job.owner.platform !== 'discord') return;
    const link = `https://discord.com/channels/${to.guildId ?? '@me'}/${to.channelId}/${to.messageId}`;
    const content = t(to.locale, 'discord.ready', {
      mention: `<@${job.owner.userId}>`,
      time: humanDuration(took, to.locale),
      link,
    });
    await this.#rest
      .post(Routes.channelMessages(to.channelId), {
        body: { content, allowed_mentions: { users: [job.owner.userId] } },
      })
      .catch((error: unknown) =>
        this.#deps.log.warn({ job: job.id, err: String(error) }, 'discord mention failed'),
      );
  }

  /**
   * One lane per job message (`EditLanes`): one call in flight, latest wins (the engine spaces the
   * updates). A failure of the call that ran is rethrown to the caller (the engine retries a failed
   * delivery).
   */
  async #enqueue(id: string, final: boolean, task: () => Promise<void>): Promise<void> {
    if (this.#finished.has(id) && !final) return;
    if (final) {
      this.#finished.add(id);
      if (this.#finished.size > 10_000) this.#finished.delete(this.#finished.values().next().value as string);
    }
    let failure: { error: unknown } | undefined;
    await this.#lanes.submit(id, 'status', async () => {
      // @discordjs/rest waits out a 429 itself, so the lane never needs to pause.
      await task().catch((error: unknown) => {
        failure = { error };
      });
      return undefined;
    });
    if (failure) throw failure.error;
  }

  close(): void {
    this.#lanes.close();
  }
}
