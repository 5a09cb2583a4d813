// Real image bytes for outputs, previews and /view re-encodes.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export type Rgb = [number, number, number];

export function rgbFromInt(color: number): Rgb {
  return [(color >> 16) & 255, (color >> 8) & 255, color & 255];
}

export function rgbFromSeed(seed: string): Rgb {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return [h & 255, (h >> 8) & 255, (h >> 16) & 255];
}

function solid(width: number, height: number, [r, g, b]: Rgb) {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
}

/** SaveImage writes the prompt and extra_pnginfo as tEXt chunks right after IHDR. */
function withTextChunks(png: Buffer, texts: Record<string, string>): Buffer {
  const entries = Object.entries(texts);
  if (entries.length === 0) return png;
  const chunks = entries.map(([key, value]) => {
    const data = Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0]), Buffer.from(value, 'utf8')]);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write('tEXt', 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  });
  const ihdrEnd = 8 + 8 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

export async function pngBytes(
  width: number,
  height: number,
  color: Rgb,
  texts: Record<string, string> = {},
) {
  return withTextChunks(await solid(width, height, color).png().toBuffer(), texts);
}

export async function jpegBytes(width: number, height: number, color: Rgb): Promise<Buffer> {
  return solid(width, height, color).jpeg({ quality: 95 }).toBuffer();
}

export async function animatedWebpBytes(width: number, height: number, colors: Rgb[]): Promise<Buffer> {
  const frames = await Promise.all(colors.map((c) => solid(width, height, c).png().toBuffer()));
  if (frames.length === 1) return sharp(frames[0]).webp().toBuffer();
  return sharp(frames, { join: { animated: true } })
    .webp({ loop: 0 })
    .toBuffer();
}

/** A FLAC stream with only a STREAMINFO block: valid, zero samples. */
export function flacBytes(): Buffer {
  const info = Buffer.alloc(34);
  info.writeUInt16BE(4096, 0);
  info.writeUInt16BE(4096, 2);
  // 44100 Hz, 1 channel, 16 bits per sample, 0 samples.
  info.writeUInt32BE((44100 << 12) | (0 << 9) | (15 << 4), 10);
  const header = Buffer.from([0x80, 0, 0, 34]);
  return Buffer.concat([Buffer.from('fLaC', 'ascii'), header, info]);
}

export async function imageSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  try {
    const m = await sharp(bytes).metadata();
    return { width: m.width ?? 64, height: m.height ?? 64 };
  } catch {
    return { width: 64, height: 64 };
  }
}

/** GET /view ?preview= and ?channel= re-encodes (server.py view_image). */
export async function viewVariant(
  bytes: Buffer,
  query: URLSearchParams,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  const channel = query.get('channel') ?? 'rgba';
  const preview = query.get('preview');
  if (preview !== null) {
    const info = preview.split(';');
    let format = info[0] ?? '';
    if ((format !== 'webp' && format !== 'jpeg') || channel.includes('a')) format = 'webp';
    const last = info[info.length - 1] ?? '';
    const quality = /^\d+$/.test(last) ? Math.min(100, Math.max(1, Number(last))) : 90;
    let img = sharp(bytes);
    if (format === 'jpeg' || channel === 'rgb') img = img.removeAlpha();
    const body =
      format === 'jpeg' ? await img.jpeg({ quality }).toBuffer() : await img.webp({ quality }).toBuffer();
    return { body, contentType: `image/${format}` };
  }
  if (channel === 'rgb')
    return { body: await sharp(bytes).removeAlpha().png().toBuffer(), contentType: 'image/png' };
  if (channel === 'a') {
    const { width, height } = await imageSize(bytes);
    const img = sharp(bytes);
    const meta = await img.metadata();
    const alpha = meta.hasAlpha
      ? await img.extractChannel('alpha').raw().toBuffer()
      : Buffer.alloc(width * height, 255);
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba[i * 4 + 3] = alpha[i] ?? 255;
    return {
      body: await sharp(rgba, { raw: { width, height, channels: 4 } })
        .png()
        .toBuffer(),
      contentType: 'image/png',
    };
  }
  return undefined;
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  wav: 'audio/x-wav',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  txt: 'text/plain',
  json: 'application/json',
  svg: 'image/svg+xml',
};
const FORCED_DOWNLOAD = new Set(['text/html', 'application/xhtml+xml', 'text/javascript', 'text/css']);

/** mimetypes.guess_type, with the types server.py forces to download. */
export function guessType(filename: string): string {
  const ext = filename.split('.').pop()?.toLowerCase() ?? '';
  const type =
    MIME[ext] ?? (ext === 'html' || ext === 'htm' ? 'text/html' : ext === 'js' ? 'text/javascript' : '');
  if (!type || FORCED_DOWNLOAD.has(type)) return 'application/octet-stream';
  return type;
}
