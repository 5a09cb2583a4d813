import sharp from 'sharp';

/** Neutral test images made on the spot: nothing in the repository, nothing explicit anywhere. */

/** A diagonal colour gradient (a sky-like picture), PNG. */
export async function gradient(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.round((255 * x) / width);
      raw[i + 1] = Math.round((255 * y) / height);
      raw[i + 2] = 180;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Geometric shapes on a light background, from SVG. */
export function shapes(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#e8eef4"/>
    <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${width * 0.15}" fill="#e07b39"/>
    <rect x="${width * 0.55}" y="${height * 0.2}" width="${width * 0.3}" height="${height * 0.5}" fill="#3b7dd8"/>
    <polygon points="${width * 0.1},${height * 0.9} ${width * 0.5},${height * 0.6} ${width * 0.9},${height * 0.9}" fill="#4caf50"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Black text on white, as a screenshot of a document would look. */
export function drawnText(width: number, height: number): Promise<Buffer> {
  const lines = ['ComfyRelay test card', 'The quick brown fox', 'jumps over the lazy dog', '0123456789'];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="white"/>
    ${lines.map((l, i) => `<text x="20" y="${60 + i * 50}" font-family="sans-serif" font-size="36" fill="black">${l}</text>`).join('')}
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

/** Random noise, as incompressible as a detailed render (for decode cost in benchmarks). */
export function noise(width: number, height: number, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < raw.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    raw[i] = s & 0xff;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A flat colour. */
export function solid(
  width: number,
  height: number,
  rgb: { r: number; g: number; b: number },
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: rgb } })
    .png()
    .toBuffer();
}

/** An animated GIF of flat frames, one per colour. */
export async function animatedGif(width: number, height: number, colours: string[]): Promise<Buffer> {
  const frames = await Promise.all(
    colours.map((c) =>
      sharp({ create: { width, height, channels: 3, background: c } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
}

/** A black-and-white checkerboard: the most detail an image can have, so a blur shows plainly. */
export function checkerboard(width: number, height: number, cell: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      raw[y * width + x] = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? 255 : 0;
  }
  return sharp(raw, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}
