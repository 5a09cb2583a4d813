import type { Keyv } from 'keyv';

/** A typed key-value collection in one namespace. Values must survive a JSON round trip. */
export interface Store<T> {
  get(id: string): Promise<T | undefined>;
  /** `ttlMs` makes the entry expire; expired entries read as missing. */
  set(id: string, value: T, ttlMs?: number): Promise<void>;
  /** True when something was deleted. */
  delete(id: string): Promise<boolean>;
  /** Every live entry, in no particular order; O(entries in the namespace). */
  list(): AsyncIterable<[id: string, value: T]>;
}

/** Wraps a Keyv instance (already namespaced) as a `Store<T>`. */
export function keyvStore<T>(keyv: Keyv): Store<T> {
  if (!keyv.iterator) throw new TypeError(`Keyv store for namespace "${keyv.namespace}" cannot iterate`);
  const iterate = keyv.iterator.bind(keyv);
  return {
    get: (id) => keyv.get<T>(id),
    async set(id, value, ttlMs) {
      await keyv.set(id, value, ttlMs);
    },
    delete: (id) => keyv.delete(id),
    async *list() {
      for await (const [id, value] of iterate(undefined) as AsyncIterable<[string, T]>) yield [id, value];
    },
  };
}
