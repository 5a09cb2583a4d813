import type { Readable } from 'node:stream';
import type { Result } from '#shared/result.ts';

/** Bytes as the blob store knows them: their content hash (`blake3:<64 hex>`) and their size. */
export interface BlobRef {
  hash: string;
  size: number;
}

export interface BlobInfo extends BlobRef {
  /** When the bytes were last written (ms epoch); retention spares blobs written recently. */
  modifiedAt: number;
}

/** Inclusive byte bounds, as an HTTP `Range` gives them. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where bytes come from: all at once, or a stream read chunk by chunk (never held whole). */
export type BlobSource = Uint8Array | AsyncIterable<Uint8Array>;

/** A write refused while streaming, before anything was kept. */
export interface TooLarge {
  code: 'tooLarge';
  maxBytes: number;
}

/**
 * Bytes written aside and hashed, not yet in the store: `path`, when there is one, is a local file holding
 * them (to check an upload without reading it into memory); `commit` makes them a blob, `discard` forgets
 * them.
 */
export interface StagedBlob extends BlobRef {
  readonly path?: string;
  /** The staged bytes in memory (where there is no `path`). */
  read(): Promise<Buffer>;
  commit(): Promise<BlobRef>;
  discard(): Promise<void>;
}

/**
 * Content-addressed bytes: uploads, outputs, input images. Callers keep only `{hash, size}` in their
 * metadata; nothing here knows who uses a blob (retention finds the unused ones by marking what the
 * metadata references). Narrow on purpose, so that an S3-compatible store can stand in for the directory.
 */
export interface BlobStore {
  /** Streams `source` in, hashing as it goes; refused (nothing kept) past `maxBytes`. */
  put(source: BlobSource, options?: { maxBytes?: number }): Promise<Result<BlobRef, TooLarge>>;
  /** Like `put`, but the caller decides afterwards whether the bytes are kept. */
  stage(source: BlobSource, options?: { maxBytes?: number }): Promise<Result<StagedBlob, TooLarge>>;
  /** The bytes (or the inclusive `range` of them) as a stream; undefined when there is no such blob. */
  open(hash: string, range?: ByteRange): Promise<Readable | undefined>;
  stat(hash: string): Promise<BlobInfo | undefined>;
  /**
   * Deletes the blob; with `writtenBefore`, only if it was last written before then (a blob written again
   * meanwhile by someone who is about to reference it survives). True when something was deleted.
   */
  delete(hash: string, options?: { writtenBefore?: number }): Promise<boolean>;
  /** Every blob, in no particular order (for retention). */
  list(): AsyncIterable<BlobInfo>;
  /**
   * Removes bytes of writes that never finished (a crash, a client gone) staged before `before`; returns
   * how many. With `dryRun`, only counts them.
   */
  sweepStaged(before: number, options?: { dryRun?: boolean }): Promise<number>;
}

/** A well-formed blob hash: `blake3:` and 64 lowercase hex digits. */
export const BLOB_HASH = /^blake3:[0-9a-f]{64}$/;

/** The whole blob in memory, for the few callers that need it so (input images, at most 20 MB). */
export async function readBlob(store: BlobStore, hash: string): Promise<Buffer | undefined> {
  const stream = await store.open(hash);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source as chunks, whichever form it came in. */
export async function* chunksOf(source: BlobSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) yield source;
  else yield* source;
}
