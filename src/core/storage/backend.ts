import type { Keyv } from 'keyv';

/**
 * What a storage engine (SQLite file or Redis) provides beyond plain key-value:
 * the few operations that must be atomic across processes or ordered, which Keyv cannot express.
 */
export interface StorageBackend {
  /** A Keyv instance for one namespace; values are JSON-serialized by Keyv. */
  keyv(namespace: string): Keyv;
  /**
   * Claims `key` for `holder` for `ttlMs`, atomically. Returns undefined when the claim is new (or the
   * previous one expired), otherwise the holder that already has it.
   */
  claim(key: string, holder: string, ttlMs: number): Promise<string | undefined>;
  /** A set of ids, for example the jobs that are not finished yet. */
  setAdd(set: string, id: string): Promise<void>;
  setRemove(set: string, id: string): Promise<void>;
  setMembers(set: string): Promise<string[]>;
  /** Appends to an append-only log; `logLatest` returns the newest first. */
  logAppend(log: string, entry: string): Promise<void>;
  logLatest(log: string, limit: number): Promise<string[]>;
  /** The oldest `limit` entries, oldest first, and dropping the oldest `count` (retention). */
  logOldest(log: string, limit: number): Promise<string[]>;
  logDropOldest(log: string, count: number): Promise<void>;
  /**
   * Reclaims space after retention: drops expired entries the engine keeps lazily and gives freed pages
   * back to the file system (SQLite); nothing to do where expiry is native (Redis).
   */
  compact(): Promise<CompactReport>;
  close(): Promise<void>;
}

export interface CompactReport {
  /** Expired key-value entries and claims removed. */
  expired: number;
  /** Size of the database file(s) afterwards, in bytes (0 where there is no file). */
  fileBytes: number;
}
