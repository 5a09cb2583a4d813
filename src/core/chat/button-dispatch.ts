import type { UserMessage } from '#shared/i18n.ts';
import type { DeliveryTarget, JobRecord, Requester } from '../jobs/types.ts';
import type { Result } from '#shared/result.ts';
import { type ButtonAction, decodeAction } from './actions.ts';
import type { ChatService } from './chat-service.ts';

/** A button press as an adapter sees it; the admin check and the delivery are asked for only when needed. */
export interface ButtonPress {
  requester: Requester;
  /** May the person act on others' jobs? Asked only when the job is not theirs (Telegram may call its API). */
  isAdmin: () => boolean | Promise<boolean>;
  /** Where a reroll, variation or upscale is shown; asked only once the press is allowed (Discord posts ⏳). */
  delivery: () => DeliveryTarget | Promise<DeliveryTarget>;
  idempotencyKey: string;
}

/** The decision on a press, before anything is done: a forged id, a refusal, or the action and admin flag. */
export type ButtonGate =
  | { kind: 'forged' }
  | { kind: 'refused'; message: UserMessage }
  | { kind: 'allowed'; action: ButtonAction; admin: boolean };

/** What a press led to; each adapter renders it its own way. */
export type ButtonOutcome =
  | { kind: 'forged' }
  | { kind: 'refused'; message: UserMessage }
  | { kind: 'job'; job: JobRecord }
  | { kind: 'text'; message: UserMessage }
  | { kind: 'canceled'; job: JobRecord }
  | { kind: 'deleted'; job: JobRecord }
  | { kind: 'show'; job: JobRecord };

/**
 * Decodes a button id and decides whether the person may press it: anyone may use a seed; every other action
 * needs the job to exist and be theirs, or an admin (who is asked for only when the job is someone else's).
 * Telegram needs this answer alone, before `answerCallbackQuery`.
 */
export async function authorizeButton(
  chat: ChatService,
  raw: string,
  who: Pick<ButtonPress, 'requester' | 'isAdmin'>,
): Promise<ButtonGate> {
  const action = decodeAction(raw);
  if (!action) return { kind: 'forged' };
  if (action.action === 'useSeed') return { kind: 'allowed', action, admin: false };
  const own = await chat.show(action.jobId, who.requester, false);
  if (own.ok) return { kind: 'allowed', action, admin: false };
  if (own.error.code !== 'chat.notYours' || !(await who.isAdmin()))
    return { kind: 'refused', message: own.error };
  return { kind: 'allowed', action, admin: true };
}

type JobKind = 'job' | 'canceled' | 'deleted' | 'show';
const outcome = (kind: JobKind, r: Result<JobRecord, UserMessage>): ButtonOutcome =>
  r.ok ? { kind, job: r.value } : { kind: 'refused', message: r.error };

/** Does an allowed press through `ChatService`: reroll, variation, upscale, use seed, cancel, delete, show. */
export async function runButton(
  chat: ChatService,
  gate: Extract<ButtonGate, { kind: 'allowed' }>,
  press: ButtonPress,
): Promise<ButtonOutcome> {
  const { action: a, admin } = gate;
  const by = press.requester;
  switch (a.action) {
    case 'useSeed': {
      const r = await chat.useSeed(a.jobId);
      return { kind: 'text', message: r.ok ? r.value : r.error };
    }
    case 'cancel':
      return outcome('canceled', await chat.cancel(a.jobId, by, admin));
    case 'delete':
      return outcome('deleted', await chat.delete(a.jobId, by, admin));
    case 'show':
      return outcome('show', await chat.show(a.jobId, by, admin));
    case 'reroll':
      return outcome(
        'job',
        await chat.reroll(a.jobId, by, await press.delivery(), press.idempotencyKey, admin),
      );
    case 'variation':
    case 'upscale': {
      // Refused before the adapter opens a status message for a job this server cannot run now.
      const source = await chat.show(a.jobId, by, admin);
      if (!source.ok) return { kind: 'refused', message: source.error };
      if (!chat.canDerive(a.action, source.value))
        return { kind: 'refused', message: { code: `chat.cannot.${a.action}` } };
      const delivery = await press.delivery();
      const r = await chat.derive(a.action, a.jobId, a.index ?? 1, by, delivery, press.idempotencyKey, admin);
      return outcome('job', r);
    }
  }
}

/**
 * A result or status button pressed on any chat platform: decode, decide, act.
 * @example
 * const o = await dispatchButton(chat, customId, { requester, isAdmin: () => admin, delivery, idempotencyKey });
 * if (o.kind === 'refused') await replyPrivately(o.message);
 */
export async function dispatchButton(
  chat: ChatService,
  raw: string,
  press: ButtonPress,
): Promise<ButtonOutcome> {
  const gate = await authorizeButton(chat, raw, press);
  return gate.kind === 'allowed' ? runButton(chat, gate, press) : gate;
}
