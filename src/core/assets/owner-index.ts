import { KeyedLock } from '#shared/keyed-lock.ts';
import type { Store } from '../storage/store.ts';

/** One asset of an owner, as the per-owner index keeps it (enough for usage, listing and blob refs). */
export interface OwnerEntry {
  id: string;
  /** The blob key holding the bytes (shared by this owner's records of the same content). */
  blob: string;
  size: number;
  createdAt: number;
  expiresAt: number;
  /** Sent by the owner (counted against the storage quota), as opposed to a job's output. */
  upload: boolean;
}

export interface OwnerUsage {
  /** Bytes of distinct uploaded content still kept. */
  bytes: number;
  /** Uploaded asset records still kept. */
  count: number;
  /** When the oldest upload expires (ms epoch), if any: when room frees up by itself. */
  nextExpiry?: number;
}

const isEntry = (v: unknown): v is OwnerEntry =>
  typeof v === 'object' && v !== null && typeof (v as OwnerEntry).id === 'string';

/**
 * Every asset of an owner, newest first, in one record (`o:<owner>`): what the storage quota counts,
 * what listing pages through, and how a delete knows whether other records still need the bytes.
 * Changes are serialized per owner in this process; expired entries are dropped on every change.
 */
export class OwnerIndex {
  readonly #records: Store<unknown>;
  readonly #lock = new KeyedLock();
  readonly #max: number;

  constructor(records: Store<unknown>, max = 10_000) {
    this.#records = records;
    this.#max = max;
  }

  async entries(owner: string, now = Date.now()): Promise<OwnerEntry[]> {
    const raw = await this.#records.get(`o:${owner}`);
    return Array.isArray(raw) ? raw.filter((e): e is OwnerEntry => isEntry(e) && e.expiresAt > now) : [];
  }

  /** Applies `change` to the owner's live entries and saves the result; returns what `change` returns. */
  update<T>(
    owner: string,
    change: (entries: OwnerEntry[]) => Promise<{ entries: OwnerEntry[]; result: T }>,
  ): Promise<T> {
    return this.#lock.run(owner, async () => {
      const { entries, result } = await change(await this.entries(owner));
      const kept = entries.slice(0, this.#max);
      const last = Math.max(0, ...kept.map((e) => e.expiresAt));
      if (kept.length === 0) await this.#records.delete(`o:${owner}`);
      else await this.#records.set(`o:${owner}`, kept, last - Date.now());
      return result;
    });
  }

  async usage(owner: string): Promise<OwnerUsage> {
    return usageOf(await this.entries(owner));
  }
}

/** What the uploads among `entries` take up. */
export function usageOf(entries: readonly OwnerEntry[]): OwnerUsage {
  const uploads = entries.filter((e) => e.upload);
  const blobs = new Map(uploads.map((e) => [e.blob, e.size]));
  const nextExpiry = uploads.length ? Math.min(...uploads.map((e) => e.expiresAt)) : undefined;
  return {
    bytes: [...blobs.values()].reduce((a, b) => a + b, 0),
    count: uploads.length,
    ...(nextExpiry ? { nextExpiry } : {}),
  };
}
