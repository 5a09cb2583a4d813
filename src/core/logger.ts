import pino, { type Logger } from 'pino';

/** Paths whose values are secrets wherever they appear in a log object. */
const REDACT = [
  'token',
  '*.token',
  '*.*.token',
  'apiKey',
  '*.apiKey',
  'api_key_comfy_org',
  '*.api_key_comfy_org',
  '*.*.api_key_comfy_org',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  '*.*.password',
  'secretToken',
  '*.secretToken',
  'comfyOrgApiKey',
  '*.comfyOrgApiKey',
];

/** Removes anything that looks like a bot token or bearer credential from free text (error messages). */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) if (secret && secret.length >= 6) out = out.split(secret).join('***');
  return out
    .replace(/\bbot\d{5,}:[A-Za-z0-9_-]{20,}/g, 'bot***')
    .replace(/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}\b/g, '***')
    .replace(/(Bearer|Basic|Bot)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***')
    .replace(/(token|key|secret|password)=([^&\s]+)/gi, '$1=***');
}

export type { Logger };

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT, censor: '***' },
      base: undefined,
    },
    options.destination as pino.DestinationStream | undefined,
  );
}
