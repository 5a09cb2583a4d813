import type { Store } from '../storage/store.ts';
import { BLOB_HASH, type BlobRef, type BlobStore } from './blob-store.ts';

/** A named reference to a blob, as `storage.blobs` keeps it. */
export interface StoredBlobRef extends BlobRef {
  /** When the reference was made (ms epoch). */
  at?: number;
}

/** The reference a stored value holds, if it is one. */
export function blobRefOf(value: unknown): StoredBlobRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { hash, size, at } = value as Partial<StoredBlobRef>;
  if (typeof hash !== 'string' || !BLOB_HASH.test(hash) || typeof size !== 'number') return undefined;
  return { hash, size, ...(typeof at === 'number' ? { at } : {}) };
}

/**
 * Moves bytes stored base64 inside the key-value store (before the blob store existed: input images and
 * HTTP assets) to the blob store, leaving a reference under the same key. Safe to run again, and by
 * several processes at once (each value is rewritten as the same reference). The original expiry is not
 * readable through the store, so a moved entry is kept `ttlMs` from now. Returns how many moved.
 */
export async function migrateInlineBlobs(
  refs: Store<unknown>,
  blobs: BlobStore,
  ttlMs: number,
): Promise<number> {
  const inline: string[] = [];
  for await (const [key, value] of refs.list()) if (typeof value === 'string') inline.push(key);
  let moved = 0;
  for (const key of inline) {
    const value = await refs.get(key);
    if (typeof value !== 'string') continue;
    const stored = await blobs.put(Buffer.from(value, 'base64'));
    if (!stored.ok) continue;
    await refs.set(key, { ...stored.value, at: Date.now() }, ttlMs);
    moved++;
  }
  return moved;
}
