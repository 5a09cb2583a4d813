import { createHash } from 'node:crypto';
import type { Store } from '../../core/storage/store.ts';
import { KeyedLock } from '#shared/keyed-lock.ts';

const TTL_MS = 24 * 3600_000;

/** What a used `Idempotency-Key` remembers: which body it came with and the jobs it made. */
export interface IdempotencyRecord {
  body: string;
  jobs: string[];
}

export type Outcome<T, R> =
  | { kind: 'fresh'; value: T }
  /** `submit` refused: the key stays free. */
  | { kind: 'refused'; value: R }
  /** The key was used before: `same` when the body was the same too. */
  | { kind: 'replay'; record: IdempotencyRecord; same: boolean };

const isRecord = (v: unknown): v is IdempotencyRecord =>
  typeof v === 'object' && v !== null && typeof (v as IdempotencyRecord).body === 'string';

/** The hash a replay is matched on. */
export const bodyHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A client's `Idempotency-Key` header is visible ASCII, at most 255 characters. */
export const validIdempotencyKey = (key: string): boolean => /^[\x21-\x7e]{1,255}$/.test(key);

/**
 * `Idempotency-Key` for the HTTP API, kept apart from the engine so a key is spent only by a request
 * that made jobs: one refused by validation or quota (a 422, a 429) leaves the key free, and the SDK's
 * retry after a 429 goes through. Requests with one key run one at a time in this process, so
 * concurrent repeats get one job and see it as a replay; across processes the final claim is atomic
 * (`claim`), and a process that loses it undoes its jobs (`undo`) and answers with the winner's.
 */
export class IdempotencyLedger {
  readonly #records: Store<unknown>;
  readonly #claim: (key: string, holder: string, ttlMs: number) => Promise<string | undefined>;
  readonly #lock = new KeyedLock();

  constructor(
    records: Store<unknown>,
    claim: (key: string, holder: string, ttlMs: number) => Promise<string | undefined>,
  ) {
    this.#records = records;
    this.#claim = claim;
  }

  /**
   * Runs `submit` unless `key` was used already. `submit` answers the jobs it made (the key is then
   * spent) or anything else (a refusal: the key stays free).
   */
  run<T, R>(
    key: string,
    body: string,
    submit: () => Promise<{ jobs: string[]; value: T } | { refused: R }>,
    undo: (jobs: string[]) => Promise<void>,
  ): Promise<Outcome<T, R>> {
    return this.#lock.run(key, async () => {
      const seen = await this.#records.get(`idem:${key}`);
      if (isRecord(seen)) return { kind: 'replay', record: seen, same: seen.body === body };
      const done = await submit();
      if ('refused' in done) return { kind: 'refused', value: done.refused };
      const record: IdempotencyRecord = { body, jobs: done.jobs };
      const holder = await this.#claim(`http-idem:${key}`, JSON.stringify(record), TTL_MS);
      const winner = holder === undefined ? undefined : parse(holder);
      if (winner) {
        await undo(done.jobs);
        return { kind: 'replay', record: winner, same: winner.body === body };
      }
      await this.#records.set(`idem:${key}`, record, TTL_MS);
      return { kind: 'fresh', value: done.value };
    });
  }
}

function parse(holder: string): IdempotencyRecord | undefined {
  try {
    const v = JSON.parse(holder) as unknown;
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
