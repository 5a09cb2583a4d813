/**
 * Webhook delivery: POSTs each update to the bot's URL with the secret-token header, and runs
 * an API call that telegraf answers inside the webhook response (`webhookReply`).
 */
import { request, STATUS_CODES } from 'node:http';
import type { Dispatcher } from './dispatch.ts';
import { parseCall } from './parse.ts';
import type { Json } from './state.ts';
import type { WebhookConfig, WebhookDeliver } from './updates.ts';

export interface WebhookOptions {
  /**
   * Maps the https URL given to setWebhook to where the fake really POSTs. Default: the same
   * URL over plain http (telegraf's createWebhook always builds an https URL).
   */
  resolveUrl?: (url: string) => string;
  timeoutMs?: number;
}

interface Response {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export function createWebhookDeliver(dispatch: Dispatcher, opts: WebhookOptions = {}): WebhookDeliver {
  const resolve = opts.resolveUrl ?? ((url: string) => url.replace(/^https:/i, 'http:'));
  return async (hook: WebhookConfig, update: Json) => {
    const res = await post(
      resolve(hook.url),
      JSON.stringify(update),
      hook.secretToken,
      opts.timeoutMs ?? 30_000,
    );
    if (res.status < 200 || res.status > 299) {
      throw new Error(
        `Wrong response from the webhook: ${res.status} ${STATUS_CODES[res.status] ?? ''}`.trim(),
      );
    }
    const ct = res.contentType ?? '';
    if (res.body.length === 0 || !/^(application\/json|multipart\/form-data)/i.test(ct)) return;
    let reply: Awaited<ReturnType<typeof parseCall>>;
    try {
      reply = await parseCall(ct, res.body, new URLSearchParams());
    } catch {
      return; // Telegram ignores a webhook answer it cannot parse
    }
    const method = reply.params.method;
    if (typeof method !== 'string') return;
    delete reply.params.method;
    await dispatch(method, async () => reply, 'webhook-reply', new AbortController().signal);
  };
}

function post(url: string, body: string, secret: string | undefined, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('Read timeout expired')));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ECONNREFUSED' ? 'Connection refused' : err.message)),
    );
    req.end(body);
  });
}
