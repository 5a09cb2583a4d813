import sharp from 'sharp';

export interface BlurredImage {
  bytes: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
}

/** Cells across the longer side before the blur: shapes and colours stay, nothing recognisable does. */
const CELLS = 24;

/**
 * A blurred stand-in of the same size: shrunk to about 24 cells across, enlarged back, then blurred so
 * no cell edge remains. A plain Gaussian strong enough for this costs far more at 1024 px. The first
 * frame of an animation; JPEG, which every platform shows as a photo; metadata (the prompt, the
 * workflow) is not carried over.
 */
export async function blurredPreview(bytes: Uint8Array): Promise<BlurredImage> {
  const meta = await sharp(bytes).metadata();
  const width = meta.width ?? 1;
  const height = meta.pageHeight ?? meta.height ?? 1;
  const scale = CELLS / Math.max(width, height);
  const small = await sharp(bytes)
    .flatten({ background: { r: 128, g: 128, b: 128 } })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), {
      fit: 'fill',
    })
    .png()
    .toBuffer();
  const sigma = Math.max(0.3, Math.max(width, height) / CELLS / 2);
  const out = await sharp(small)
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .blur(sigma)
    .jpeg({ quality: 80 })
    .toBuffer();
  return { bytes: out, mime: 'image/jpeg', width, height };
}
