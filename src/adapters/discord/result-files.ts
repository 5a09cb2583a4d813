import sharp from 'sharp';
import type { UserMessage } from '#shared/i18n.ts';
import { type ResultMedia, resultMedia } from '../../core/chat/result-media.ts';
import type { OutputLink } from '../../core/jobs/output-links.ts';
import type { JobResult, ResultFile } from '../../core/jobs/ports.ts';
import { SPOILER } from './safety-view.ts';

const MIB = 1024 * 1024;

/** "12.4 MB", "850 KB": sizes as Discord states its limits (MiB, shown as MB). */
export function sizeText(bytes: number): string {
  const [n, unit] = bytes >= MIB ? [bytes / MIB, 'MB'] : [Math.max(1, bytes / 1024), 'KB'];
  return `${n >= 10 ? Math.round(n) : n.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/** Animated WebP and GIF (and any still format sharp finds several pages in): posted as made, never flattened. */
async function isAnimated(file: ResultFile): Promise<boolean> {
  if (file.mime === 'image/gif') return true;
  if (file.mime !== 'image/webp' && file.mime !== 'image/png') return false;
  try {
    return ((await sharp(file.bytes, { animated: true }).metadata()).pages ?? 1) > 1;
  } catch {
    return false;
  }
}

const leaf = (f: ResultFile) => f.filename.split('/').pop() ?? f.filename;
const isTemp = (f: ResultFile) => f.filename.includes('_temp_');

/**
 * What a Discord message uploads for a result. Still images are fitted as before (re-encoded smaller when
 * they are over the limit); animations, videos, audio and other files go as they are when they fit the
 * per-file limit, else a note names the file and its size (they cannot be shrunk without losing what
 * they are), with a download link when `linkFor` makes one (the HTTP adapter has a public address).
 */
export async function discordMedia(
  result: JobResult,
  o: { sizeLimit: number; grid: boolean; linkFor?: (file: ResultFile) => OutputLink | undefined },
): Promise<{ media: ResultMedia; notes: UserMessage[] }> {
  const files = result.files.filter((f) => !isTemp(f));
  const animated = await Promise.all(files.map((f) => (f.kind === 'image' ? isAnimated(f) : false)));
  const stills = files.filter((f, i) => f.kind === 'image' && !animated[i]);
  const moving = files.filter((f, i) => f.kind !== 'image' || animated[i]);
  const media = await resultMedia(
    { files: stills, texts: result.texts },
    { maxBytes: o.sizeLimit, formats: ['webp', 'jpeg'], keepPng: true, maxFiles: 10, grid: o.grid },
  );
  const others: ResultFile[] = [];
  const notes: UserMessage[] = [];
  for (const f of moving) {
    if (f.bytes.length <= o.sizeLimit) {
      others.push(f);
      continue;
    }
    const params = { name: leaf(f), size: sizeText(f.bytes.length), limit: sizeText(o.sizeLimit) };
    const link = o.linkFor?.(f);
    if (!link) notes.push({ code: 'discord.tooLarge', params });
    else {
      // `<url>` shows no embed; behind a spoiler, the link is hidden too.
      const url = f.filename.startsWith(SPOILER) ? `||<${link.url}>||` : link.url;
      const until = `<t:${Math.floor(link.expiresAt / 1000)}:R>`;
      notes.push({ code: 'discord.tooLargeLink', params: { ...params, url, until } });
    }
  }
  return { media: { ...media, others }, notes };
}
