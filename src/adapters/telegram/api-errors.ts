import { TelegramError } from 'telegraf';
import { scrubSecrets } from '../../core/logger.ts';

/** Seconds → ms from a 429's `parameters.retry_after`, or undefined for anything else. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof TelegramError) || error.code !== 429) return undefined;
  return Math.max(1, error.parameters?.retry_after ?? 1) * 1000;
}

export const isNotModified = (e: unknown): boolean =>
  e instanceof TelegramError && /message is not modified/i.test(e.description);
export const isGone = (e: unknown): boolean =>
  e instanceof TelegramError &&
  /message to (edit|delete) not found|message can't be (edited|deleted)|MESSAGE_ID_INVALID/i.test(
    e.description,
  );
/**
 * The bot may not write to that person: they never started it (403 "bot can't initiate conversation",
 * or 400 "chat not found" for someone it never met), blocked it, or their account is gone.
 */
export const cannotWrite = (e: unknown): boolean =>
  e instanceof TelegramError && (e.code === 403 || (e.code === 400 && /chat not found/i.test(e.description)));
export const isBadRequest = (e: unknown): boolean => e instanceof TelegramError && e.code === 400;

/** A TelegramError's code and description only: never the request URL (it holds the token). */
export function describe(error: unknown): string {
  if (error instanceof TelegramError) return `${error.code} ${error.description}`;
  return scrubSecrets(error instanceof Error ? error.message : String(error));
}
