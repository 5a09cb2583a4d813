import type { Store } from '../storage/store.ts';

/**
 * The HTTP API's own records (`Idempotency-Key`s, beside the uploads' metadata in the same namespace)
 * and the atomic claim that makes a key's first use win across processes.
 */
export interface ApiRecords {
  records: Store<unknown>;
  /** Claims `key` for `holder`: undefined when the claim is new, else the holder that has it. */
  claim(key: string, holder: string, ttlMs: number): Promise<string | undefined>;
}

/** The API's records over the storage's `assets` namespace and its claims. */
export function apiRecords(storage: {
  readonly assets: Store<unknown>;
  claim(key: string, holder: string, ttlMs: number): Promise<string | undefined>;
}): ApiRecords {
  return { records: storage.assets, claim: (key, holder, ttlMs) => storage.claim(key, holder, ttlMs) };
}
