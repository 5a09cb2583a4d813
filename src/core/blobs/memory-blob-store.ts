import { Readable } from 'node:stream';
import { err, ok } from '#shared/result.ts';
import { contentHasher } from './blake3.ts';
import { type BlobInfo, type BlobRef, type BlobStore, chunksOf } from './blob-store.ts';

/**
 * Blobs in this process's memory: for the command line (whose jobs need not outlive it) and tests. Same
 * contract as the directory store, so it also documents what a store must do.
 */
export function memoryBlobStore(now: () => number = Date.now): BlobStore {
  const blobs = new Map<string, { bytes: Buffer; modifiedAt: number }>();
  const stage: BlobStore['stage'] = async (source, limits = {}) => {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    const hasher = await contentHasher();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of chunksOf(source)) {
      size += chunk.byteLength;
      if (size > maxBytes) return err({ code: 'tooLarge', maxBytes });
      hasher.update(chunk);
      chunks.push(chunk);
    }
    const ref: BlobRef = { hash: hasher.digest(), size };
    const bytes = Buffer.concat(chunks);
    return ok({
      ...ref,
      read: async () => bytes,
      async commit() {
        blobs.set(ref.hash, { bytes, modifiedAt: now() });
        return ref;
      },
      async discard() {},
    });
  };
  const infoOf = (hash: string): BlobInfo | undefined => {
    const b = blobs.get(hash);
    return b ? { hash, size: b.bytes.length, modifiedAt: b.modifiedAt } : undefined;
  };
  return {
    stage,
    async put(source, limits) {
      const staged = await stage(source, limits);
      return staged.ok ? ok(await staged.value.commit()) : staged;
    },
    async open(hash, range) {
      const b = blobs.get(hash);
      if (!b) return undefined;
      return Readable.from([range ? b.bytes.subarray(range.start, range.end + 1) : b.bytes]);
    },
    stat: async (hash) => infoOf(hash),
    async delete(hash, when) {
      const found = infoOf(hash);
      if (!found) return false;
      if (when?.writtenBefore !== undefined && found.modifiedAt >= when.writtenBefore) return false;
      return blobs.delete(hash);
    },
    async *list() {
      for (const hash of [...blobs.keys()]) {
        const found = infoOf(hash);
        if (found) yield found;
      }
    },
    sweepStaged: async () => 0,
  };
}
