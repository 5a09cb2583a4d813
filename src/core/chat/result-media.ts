import type { JobResult, ResultFile } from '../jobs/ports.ts';
import { fitImage, gridOf, type MediaLimits, type PreparedImage } from './media.ts';

export interface ResultMediaOptions extends MediaLimits {
  /** Files per message (Discord 10, Telegram album 10). */
  maxFiles: number;
  /** With four images, put a 2×2 grid first (Midjourney's layout). */
  grid: boolean;
}

export interface ResultMedia {
  /** Images ready to upload, the grid first when there is one. */
  images: PreparedImage[];
  /** Non-image outputs (video, audio, files), as produced. */
  others: ResultFile[];
  /** Images that could not be made to fit, by original name. */
  unfit: string[];
  /** Texts the workflow produced. */
  texts: string[];
}

/** Decides what a chat platform uploads for a result: the same rules for Discord and Telegram. */
export async function resultMedia(result: JobResult, options: ResultMediaOptions): Promise<ResultMedia> {
  const originals = result.files.filter((f) => f.kind === 'image' && !f.filename.includes('_temp_'));
  const others = result.files.filter((f) => f.kind !== 'image');
  const images: PreparedImage[] = [];
  const unfit: string[] = [];
  if (options.grid && originals.length === 4) {
    const grid = await fitImage('grid.png', await gridOf(originals.map((f) => f.bytes)), 'image/png', {
      ...options,
      keepPng: false,
    });
    if (grid) images.push(grid);
  }
  for (const file of originals) {
    if (images.length >= options.maxFiles) {
      unfit.push(file.filename);
      continue;
    }
    const fitted = await fitImage(
      file.filename.split('/').pop() ?? file.filename,
      file.bytes,
      file.mime,
      options,
    );
    if (fitted) images.push(fitted);
    else unfit.push(file.filename);
  }
  return { images, others, unfit, texts: result.texts.map((t) => t.text) };
}
