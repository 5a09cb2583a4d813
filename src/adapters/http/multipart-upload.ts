import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { StagedBlob, TooLarge } from '../../core/blobs/blob-store.ts';
import type { UploadStaging } from '../../core/ports/upload-staging.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { FIELD_LIMITS } from './limits.ts';

/** A multipart upload read: its text fields, and its one `file` part staged in the blob store. */
export interface StreamedUpload {
  /** A field sent twice, or cut at the field size limit, reads as undefined. */
  fields: Map<string, string | undefined>;
  file: { name: string; staged: StagedBlob };
}

/** Why no upload came of the body: not one `file` part in a readable form, or a file past `maxBytes`. */
export type UploadUnreadable = { code: 'malformed' } | TooLarge;

/** Bytes read and dropped past the limit, on top of twice the limit, before the connection is cut. */
const DISCARD_MB = 64;
const MB = 1024 * 1024;
const LIMITS = { fields: 32, parts: 64, fieldSize: 64 * 1024, fieldNameSize: 100 };

/**
 * Reads a `multipart/form-data` body as it arrives: the `file` part goes straight to the blob store's
 * staging area, hashed on the way and refused as soon as it passes `maxBytes`; nothing of it is held in
 * memory beyond one chunk. Fields may come before or after the file. The caller commits or discards
 * the staged bytes.
 */
export async function streamUpload(
  body: Readable | ReadableStream<Uint8Array> | null,
  contentType: string | undefined,
  blobs: UploadStaging,
  maxBytes: number,
): Promise<Result<StreamedUpload, UploadUnreadable>> {
  const malformed = err({ code: 'malformed' as const });
  if (!body || !contentType) return malformed;
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, limits: LIMITS });
  } catch {
    return malformed;
  }
  const source =
    body instanceof Readable
      ? body
      : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  const fields = new Map<string, string | undefined>();
  let staging: Promise<Result<StagedBlob, TooLarge>> | undefined;
  let name = '';
  let fileParts = 0;
  const read = new Promise<void>((resolve, reject) => {
    parser.on('field', (field, value, info) => {
      if (field === 'file') fileParts++;
      fields.set(field, fields.has(field) || info.valueTruncated ? undefined : value);
    });
    parser.on('file', (field, stream, info) => {
      // A cut body errors the part too; the parser's own error is the one acted on.
      stream.on('error', () => {});
      if (field !== 'file' || ++fileParts > 1 || staging) {
        stream.resume();
        return;
      }
      name = (info.filename ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, FIELD_LIMITS.filePath);
      staging = blobs.stage(stream, { maxBytes });
      staging.then((staged) => {
        if (staged.ok) return;
        // Past the limit: nothing more is parsed or kept. The rest is read and dropped so that the
        // client, still sending, gets the 413 on a healthy connection; a body going on far beyond the
        // limit is cut.
        source.unpipe(parser);
        void discardRest(source, 2 * maxBytes + DISCARD_MB * MB).then(resolve);
      }, reject);
    });
    parser.on('close', resolve);
    parser.on('error', reject);
    source.on('error', reject);
  });
  source.pipe(parser);
  const done = await read.then(
    () => true,
    () => false,
  );
  const staged = await staging?.catch(() => undefined);
  if (staged && !staged.ok) return staged;
  if (!done || fileParts !== 1 || !staged) {
    await staged?.value.discard();
    return malformed;
  }
  return ok({ fields, file: { name, staged: staged.value } });
}

/** Reads `source` to its end without keeping it; destroys it after `cap` more bytes. */
async function discardRest(source: Readable, cap: number): Promise<void> {
  let seen = 0;
  try {
    for await (const chunk of source) {
      seen += (chunk as Buffer).byteLength;
      if (seen > cap) {
        source.destroy();
        return;
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}
