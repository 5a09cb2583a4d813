import { Readable } from 'node:stream';

/**
 * A file stream as a response body. A client that goes away cancels the web stream, which destroys the
 * file stream and closes its descriptor.
 */
export function webStream(stream: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}
