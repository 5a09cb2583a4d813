import { crc32, deflateSync } from 'node:zlib';
import { pngBytes } from '../../fakes/comfy/images.ts';

/** Files that claim to be images and are not, or are images no server should decode. */

const chunk = (type: string, data: Buffer): Buffer => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
const ihdr = (width: number, height: number) => {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = 8; // bit depth
  d[9] = 2; // truecolor
  return chunk('IHDR', d);
};

/** A well-formed PNG header (signature, IHDR) followed by an HTML page instead of image data. */
export const htmlBehindPngHeader = (): Buffer =>
  Buffer.concat([
    SIGNATURE,
    ihdr(64, 64),
    Buffer.from('<html><script>alert(document.cookie)</script></html>'),
  ]);

/** A 20000×20000 PNG whose header is real and whose data is a few kilobytes: a decompression bomb. */
export const pixelBomb = (): Buffer =>
  Buffer.concat([
    SIGNATURE,
    ihdr(20_000, 20_000),
    chunk('IDAT', deflateSync(Buffer.alloc(60_001 * 4))),
    chunk('IEND', Buffer.alloc(0)),
  ]);

export const svgImage = (): Buffer =>
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
  );

/** A real PNG one pixel wide and 100,000 tall. */
export const needleImage = (): Promise<Buffer> => pngBytes(1, 100_000, [10, 10, 10]);

export const smallPng = (): Promise<Buffer> => pngBytes(32, 32, [200, 40, 40]);
