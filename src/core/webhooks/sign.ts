import { createHmac, timingSafeEqual } from 'node:crypto';

/** The secret's key bytes: `whsec_<base64>` per Standard Webhooks. */
const keyOf = (secret: string): Buffer => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/**
 * Standard Webhooks signature headers for one message.
 * @example
 * const headers = signWebhook(secret, 'msg_1', Math.floor(Date.now() / 1000), JSON.stringify(payload));
 */
export function signWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  const signature = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

/** Verifies Standard Webhooks headers (any of the space-separated `v1,` signatures), within a tolerance. */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  options: { toleranceS?: number; now?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(ts) || Math.abs(now - ts) > (options.toleranceS ?? 300)) return false;
  const expected = Buffer.from(
    signWebhook(secret, headers.id, ts, body)['webhook-signature']!.slice(3),
    'base64',
  );
  return headers.signature.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    if (version !== 'v1' || !sig) return false;
    const got = Buffer.from(sig, 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
