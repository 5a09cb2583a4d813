import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { err, ok, type Result } from '#shared/result.ts';
import { contentHasher } from './blake3.ts';
import {
  BLOB_HASH,
  type BlobInfo,
  type BlobRef,
  type BlobSource,
  type BlobStore,
  chunksOf,
  type StagedBlob,
  type TooLarge,
} from './blob-store.ts';

export interface FsBlobStoreOptions {
  /** Flush each blob to disk (fdatasync) before it is renamed into place (default true; off only in throwaway tests). */
  durable?: boolean;
}

const STAGING = 'staging';
const WRITE_BATCH = 1024 * 1024;
const TWO_HEX = /^[0-9a-f]{2}$/;

/**
 * Blobs as files under `root`: `<root>/ab/cd/<64 hex>` for `blake3:abcd…`. A write goes to
 * `<root>/staging/` while it is hashed, is fsynced, then renamed into place: a reader never sees a partial
 * file, and two writers of the same content (other processes, other machines on a shared filesystem)
 * both end with the same bytes at the same name, so no lock is needed.
 */
export function fsBlobStore(root: string, options: FsBlobStoreOptions = {}): BlobStore {
  const durable = options.durable ?? true;
  const staging = join(root, STAGING);
  const pathOf = (hash: string): string | undefined => {
    if (!BLOB_HASH.test(hash)) return undefined;
    const hex = hash.slice('blake3:'.length);
    return join(root, hex.slice(0, 2), hex.slice(2, 4), hex);
  };

  async function stage(
    source: BlobSource,
    limits: { maxBytes?: number } = {},
  ): Promise<Result<StagedBlob, TooLarge>> {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    await mkdir(staging, { recursive: true });
    const temp = join(staging, `${randomUUID()}.part`);
    const file = await open(temp, 'wx');
    const hasher = await contentHasher();
    let size = 0;
    let written = false;
    // Chunks arrive small (a socket's reads); one `writev` per ~1 MB keeps system calls few.
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = async () => {
      if (batched > 0) await writeAll(file, batch, batched);
      batch = [];
      batched = 0;
    };
    try {
      for await (const chunk of chunksOf(source)) {
        size += chunk.byteLength;
        if (size > maxBytes) return err({ code: 'tooLarge', maxBytes });
        hasher.update(chunk);
        batch.push(chunk);
        batched += chunk.byteLength;
        if (batched >= WRITE_BATCH) await flush();
      }
      await flush();
      if (durable) await file.datasync();
      written = true;
    } finally {
      await file.close();
      if (!written) await rm(temp, { force: true });
    }
    const ref: BlobRef = { hash: hasher.digest(), size };
    let settled = false;
    return ok({
      ...ref,
      path: temp,
      read: () => readFile(temp),
      async commit() {
        if (settled) throw new Error('staged blob already committed or discarded');
        settled = true;
        const path = pathOf(ref.hash)!;
        await mkdir(join(path, '..'), { recursive: true });
        // Over an existing blob of the same content too: the fresh file's time keeps a sweep off it.
        await rename(temp, path);
        return ref;
      },
      async discard() {
        if (settled) return;
        settled = true;
        await rm(temp, { force: true });
      },
    });
  }

  async function info(hash: string, path: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(path);
      return { hash, size: s.size, modifiedAt: s.mtimeMs };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  return {
    stage,
    async put(source, limits) {
      const staged = await stage(source, limits);
      return staged.ok ? ok(await staged.value.commit()) : staged;
    },
    async open(hash, range) {
      const path = pathOf(hash);
      if (!path) return undefined;
      try {
        // Holding the descriptor: a blob deleted while it is read is still read to the end.
        const handle = await open(path, 'r');
        return handle.createReadStream(range ? { start: range.start, end: range.end } : {}) as Readable;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    stat: async (hash) => {
      const path = pathOf(hash);
      return path ? info(hash, path) : undefined;
    },
    async delete(hash, when) {
      const path = pathOf(hash);
      const found = path ? await info(hash, path) : undefined;
      if (!path || !found) return false;
      if (when?.writtenBefore !== undefined && found.modifiedAt >= when.writtenBefore) return false;
      try {
        await unlink(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    async *list() {
      for (const a of await subdirs(root)) {
        for (const b of await subdirs(join(root, a))) {
          for (const name of await names(join(root, a, b))) {
            const found = await info(`blake3:${name}`, join(root, a, b, name));
            if (found && BLOB_HASH.test(found.hash)) yield found;
          }
        }
      }
    },
    async sweepStaged(before, options) {
      let removed = 0;
      for (const name of await names(staging)) {
        const path = join(staging, name);
        const s = await stat(path).catch(() => undefined);
        if (s && s.mtimeMs < before) {
          if (!options?.dryRun) await rm(path, { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}

/** Writes every byte of `chunks` (`writev` may write part of them). */
async function writeAll(file: FileHandle, chunks: Uint8Array[], total: number): Promise<void> {
  let done = (await file.writev(chunks)).bytesWritten;
  if (done === total) return;
  const rest = Buffer.concat(chunks);
  while (done < total) done += (await file.write(rest, done, total - done)).bytesWritten;
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function subdirs(dir: string): Promise<string[]> {
  return (await names(dir)).filter((n) => TWO_HEX.test(n));
}
