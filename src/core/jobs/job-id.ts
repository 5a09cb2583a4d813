import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijkmnopqrstuvwxyz';

/**
 * A short job id (10 characters, about 51 bits) that fits in a Discord custom_id and a Telegram
 * callback_data with room for an action, and is easy to type in `/show <id>`.
 */
export function newJobId(): string {
  const bytes = randomBytes(10);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export const JOB_ID_PATTERN = /^[0-9a-z]{10}$/;
