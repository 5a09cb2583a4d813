import type { Clock } from '../clock.ts';

/** Sleeps on the client's clock; rejects with the signal's reason as soon as it is aborted. */
export function abortableSleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Log lines the client writes; the key has already been taken out of every field. */
export type V2Log = (
  level: 'debug' | 'info' | 'warn',
  message: string,
  fields?: Record<string, unknown>,
) => void;
