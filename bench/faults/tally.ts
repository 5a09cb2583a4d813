import { endText } from '../../src/core/chat/status-text.ts';
import type { JobRecord } from '../../src/core/jobs/types.ts';
import { isTerminal } from '../../src/core/jobs/types.ts';
import '../../src/adapters/telegram/messages.ts';
import { resendData } from '../../src/adapters/telegram/resend.ts';
import { t, toLocale } from '../../src/shared/i18n.ts';
import type { Request } from './clients.ts';
import type { Platforms } from './platforms.ts';

export type Outcome = 'deliveredOnce' | 'failedWithMessage' | 'lost' | 'deliveredTwice';

export interface Tally {
  deliveredOnce: number;
  failedWithMessage: number;
  lost: number;
  deliveredTwice: number;
  /** Why each request that was lost or delivered twice counts so, for the log. */
  notes: string[];
  /** How many requests failed with each message (a job's error code, or the refusal). */
  reasons: Record<string, number>;
}

export interface Lookup {
  /** The job id an idempotency key made, if any. */
  claimed(key: string): Promise<string | undefined>;
  job(id: string): Promise<JobRecord | undefined>;
  /** A live process's HTTP API, where a person would look an HTTP job up. */
  httpOrigin(): string;
}

/**
 * What each person ended up with, read from the platforms (what they see) and checked against the
 * store: the result shown once, or twice; or a message saying why not; or nothing (lost).
 */
export async function tally(
  requests: readonly Request[],
  platforms: Platforms,
  lookup: Lookup,
): Promise<Tally> {
  const t: Tally = {
    deliveredOnce: 0,
    failedWithMessage: 0,
    lost: 0,
    deliveredTwice: 0,
    notes: [],
    reasons: {},
  };
  for (const r of requests) {
    const { outcome, why } = await classify(r, platforms, lookup);
    t[outcome]++;
    if (outcome === 'failedWithMessage') t.reasons[why] = (t.reasons[why] ?? 0) + 1;
    if (outcome === 'lost' || outcome === 'deliveredTwice') t.notes.push(`#${r.n} ${r.platform}: ${why}`);
  }
  return t;
}

async function classify(
  r: Request,
  platforms: Platforms,
  lookup: Lookup,
): Promise<{ outcome: Outcome; why: string }> {
  const jobId = r.jobId ?? (r.platform === 'http' ? undefined : await lookup.claimed(r.key));
  const job = jobId ? await lookup.job(jobId) : undefined;
  if (!job) {
    // Refused before any job existed, with a message the person saw (Discord's own, or the API's).
    if (r.refused) return { outcome: 'failedWithMessage', why: r.refused };
    const iid = r.key.replace(/^discord:/, '');
    const said =
      r.platform === 'telegram'
        ? botReplies(platforms, r).some((m) => m.text) || toldFailed(platforms, r)
        : r.platform === 'discord' &&
          platforms.discord.messages(r.where).some((m) => m.interactionId === iid && m.content.trim() !== '');
    return said
      ? { outcome: 'failedWithMessage', why: 'answered with a message, no job' }
      : {
          outcome: 'lost',
          why: `no job for ${r.key}${r.platform === 'telegram' ? webhookNote(platforms, r) : ''}`,
        };
  }
  if (!isTerminal(job.state)) return { outcome: 'lost', why: `job ${job.id} still ${job.state}` };
  if (job.state === 'succeeded') {
    const shown = await resultsShown(r, job, platforms, lookup);
    if (shown === 1) return { outcome: 'deliveredOnce', why: '' };
    if (shown > 1) {
      const at =
        r.platform === 'telegram'
          ? ` at ${botReplies(platforms, r)
              .filter((m) => m.photo || m.document)
              .map((m) => m.sentAt)
              .join(', ')}`
          : '';
      return { outcome: 'deliveredTwice', why: `job ${job.id} shown ${shown}×${at}` };
    }
    // The send's outcome was unknown after a crash: not sent again, the person was told and offered Resend.
    if (r.platform === 'telegram' && resendOffered(platforms, r, job))
      return { outcome: 'failedWithMessage', why: 'outcome unknown, Resend offered' };
    return { outcome: 'lost', why: `job ${job.id} succeeded but nothing was shown` };
  }
  return (await endShown(r, job, platforms, lookup))
    ? { outcome: 'failedWithMessage', why: job.error?.code ?? job.state }
    : { outcome: 'lost', why: `job ${job.id} ${job.state} (${job.error?.code}) but its owner was not told` };
}

/** How many messages carry the job's result (its files, with its buttons). */
async function resultsShown(
  r: Request,
  job: JobRecord,
  platforms: Platforms,
  lookup: Lookup,
): Promise<number> {
  if (r.platform === 'discord') {
    return platforms.discord
      .messages(r.where)
      .filter((m) => m.attachments.length > 0 && JSON.stringify(m.components).includes(job.id)).length;
  }
  if (r.platform === 'telegram') {
    return botReplies(platforms, r).filter((m) => m.photo || m.document).length;
  }
  const res = await fetch(`${lookup.httpOrigin()}/api/relay/jobs/${job.id}`).catch(() => undefined);
  if (!res?.ok) return 0;
  const body = (await res.json()) as { outputs?: unknown[] };
  return (body.outputs?.length ?? 0) > 0 ? 1 : 0;
}

/** Whether the person can read how the job ended, in the message that showed its progress. */
async function endShown(r: Request, job: JobRecord, platforms: Platforms, lookup: Lookup): Promise<boolean> {
  const locale = toLocale(String((job.delivery as { locale?: string } | undefined)?.locale ?? 'en'));
  const end = endText(job, locale).split('\n')[0]!.slice(0, 40);
  if (r.platform === 'discord') {
    return platforms.discord
      .messages(r.where)
      .some((m) => m.content.includes(end) && m.content.includes(job.request.prompt));
  }
  if (r.platform === 'telegram') return botReplies(platforms, r).some((m) => (m.text ?? '').includes(end));
  const res = await fetch(`${lookup.httpOrigin()}/api/relay/jobs/${job.id}`).catch(() => undefined);
  if (!res?.ok) return false;
  const body = (await res.json()) as { error?: { message?: string } | null };
  return !!body.error?.message;
}

function botReplies(platforms: Platforms, r: Request) {
  return platforms.telegram
    .messages(Number(r.where))
    .filter((m) => m.sender === 'bot' && m.reply_to_message_id === r.messageId);
}

/** The note a repeated delivery leaves when a send's outcome is unknown, with its Resend button, in the chat. */
function resendOffered(platforms: Platforms, r: Request, job: JobRecord): boolean {
  const locale = toLocale(String((job.delivery as { locale?: string } | undefined)?.locale ?? 'en'));
  const note = t(locale, 'telegram.resend.note');
  return botReplies(platforms, r).some(
    (m) => m.text === note && JSON.stringify(m.reply_markup ?? {}).includes(`"${resendData(job.id)}"`),
  );
}

/** For a Telegram request that made no job: whether the webhook ever took its update. */
function webhookNote(platforms: Platforms, r: Request): string {
  const taken = platforms.telegram
    .webhookDelivered()
    .some(
      (u) =>
        (u as { message?: { message_id?: number; chat?: { id?: number } } }).message?.message_id ===
          r.messageId &&
        String((u as { message?: { chat?: { id?: number } } }).message?.chat?.id) === r.where,
    );
  return taken ? ' (its update was taken by a relay)' : ' (its update never reached a relay)';
}

/** The Telegram front end's answer to an update it could not handle ("try again"), sent after it. */
function toldFailed(platforms: Platforms, r: Request): boolean {
  const text = t('en', 'telegram.failed');
  return platforms.telegram
    .messages(Number(r.where))
    .some((m) => m.sender === 'bot' && m.message_id > (r.messageId ?? 0) && m.text === text);
}
