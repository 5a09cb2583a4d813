import sharp from 'sharp';

export interface MediaLimits {
  /** Largest file the platform takes. */
  maxBytes: number;
  /** Largest width + height (Telegram photos: 10000); none when absent. */
  maxDimensionSum?: number;
  /** Formats to try, in order, when the original does not fit (Discord: webp then jpeg; Telegram: jpeg). */
  formats: readonly ('webp' | 'jpeg')[];
  /** Keep the original PNG (with its metadata: prompt, seed, workflow) when it fits. */
  keepPng: boolean;
}

export interface PreparedImage {
  name: string;
  mime: string;
  bytes: Buffer;
  /** The original was changed to fit: re-encoded, downscaled, or both. */
  reencoded: boolean;
}

const EXT = { webp: 'webp', jpeg: 'jpg' } as const;

/**
 * Makes an image fit a platform's limits: the original when it fits; else re-encoded (WebP or JPEG);
 * else downscaled step by step. Returns undefined when even a small version does not fit.
 */
export async function fitImage(
  name: string,
  bytes: Buffer,
  mime: string,
  limits: MediaLimits,
): Promise<PreparedImage | undefined> {
  const meta = await sharp(bytes).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const sumOk = (w: number, h: number) => !limits.maxDimensionSum || w + h <= limits.maxDimensionSum;
  if (bytes.length <= limits.maxBytes && sumOk(width, height) && (limits.keepPng || mime !== 'image/png')) {
    return { name, mime, bytes, reencoded: false };
  }
  const base = name.replace(/\.[^.]+$/, '');
  let scale =
    limits.maxDimensionSum && width + height > limits.maxDimensionSum
      ? limits.maxDimensionSum / (width + height)
      : 1;
  for (let attempt = 0; attempt < 8; attempt++) {
    const w = Math.max(1, Math.floor(width * scale));
    for (const format of limits.formats) {
      const pipeline = sharp(bytes).resize({ width: w, withoutEnlargement: true });
      const out = await (format === 'webp'
        ? pipeline.webp({ quality: 90 })
        : pipeline.jpeg({ quality: 90, mozjpeg: true })
      ).toBuffer();
      if (out.length <= limits.maxBytes) {
        return { name: `${base}.${EXT[format]}`, mime: `image/${format}`, bytes: out, reencoded: true };
      }
    }
    scale *= 0.75;
  }
  return undefined;
}

/** A 2×2 grid of four images (Midjourney's layout), each cell the size of the first image. */
export async function gridOf(images: readonly Buffer[]): Promise<Buffer> {
  const first = await sharp(images[0]).metadata();
  const w = first.width ?? 512;
  const h = first.height ?? 512;
  const cells = await Promise.all(
    images.slice(0, 4).map((img) => sharp(img).resize(w, h, { fit: 'cover' }).png().toBuffer()),
  );
  return sharp({ create: { width: w * 2, height: h * 2, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite(cells.map((input, i) => ({ input, left: (i % 2) * w, top: Math.floor(i / 2) * h })))
    .png()
    .toBuffer();
}
