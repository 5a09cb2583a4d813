import { fitImage, type MediaLimits } from '../../core/chat/media.ts';
import type { JobResult, ResultFile } from '../../core/jobs/ports.ts';

/** Telegram's upload limits: photos 10 MB and width + height ≤ 10000 (re-encoded to JPEG), the rest 50 MB. */
export interface TelegramMediaLimits {
  photo: MediaLimits;
  /** sendAnimation, sendVideo and sendAudio take up to this much; bigger ones go as documents. */
  mediaMaxBytes: number;
  documentMaxBytes: number;
}

export const TELEGRAM_LIMITS: TelegramMediaLimits = {
  photo: { maxBytes: 10 * 1024 * 1024, maxDimensionSum: 10_000, formats: ['jpeg'], keepPng: false },
  mediaMaxBytes: 50 * 1024 * 1024,
  documentMaxBytes: 50 * 1024 * 1024,
};

/** The Bot API method family a file goes out with (an album takes photos and videos together). */
export type SendKind = 'photo' | 'video' | 'animation' | 'audio' | 'document';

export interface Outgoing {
  kind: SendKind;
  name: string;
  bytes: Buffer;
  /** `has_spoiler` (photos, videos and animations only). */
  spoiler: boolean;
  /**
   * Where Telegram refuses the media: what goes as a document instead. Never the original of a blur, and
   * none behind a spoiler (a document shows its preview openly).
   */
  fallback?: { name: string; bytes: Buffer };
  /** With a blurred stand-in: the file's index in `result.files`, whose original its requester may ask for. */
  reveal?: number;
}

/** What a result becomes on Telegram, in the order the workflow produced it. */
export interface ResultPlan {
  items: Outgoing[];
  /** Files too big even for a document: their name and index in `result.files`. */
  tooBig: { name: string; index: number }[];
  /** Files the safety stage blocked: nothing of them is posted. */
  withheld: number;
}

export interface PlanOptions {
  limits: TelegramMediaLimits;
  /** Originals as documents (`telegram.sendOriginalsAsDocuments`); never for files behind a spoiler. */
  asDocuments: boolean;
}

/** Animated outputs come as `video` files with an image type (SaveAnimatedWEBP/PNG) or as GIFs. */
const ANIMATED = /^image\/(gif|webp|png|apng)$/;
const baseName = (name: string) => name.split('/').pop() ?? name;

/** How one unscreened file goes out: a photo when it fits one, animations, videos and audio by kind. */
/**
 * How one file goes out: a photo when it fits one, animations, videos and audio by kind, a document
 * otherwise; undefined when it cannot go at all (too big, or hidden behind a spoiler yet only a document
 * would take it).
 */
export async function outgoingOf(
  file: ResultFile,
  o: PlanOptions,
  spoiler = false,
): Promise<Outgoing | undefined> {
  const name = baseName(file.filename);
  const original = { name, bytes: file.bytes };
  const doc = (): Outgoing | undefined =>
    spoiler || file.bytes.length > o.limits.documentMaxBytes
      ? undefined
      : { kind: 'document', ...original, spoiler: false };
  if (file.kind === 'image') {
    if (o.asDocuments && !spoiler) return doc();
    const fitted = await fitImage(name, file.bytes, file.mime, o.limits.photo).catch(() => undefined);
    if (!fitted) return doc();
    return { kind: 'photo', name: fitted.name, bytes: fitted.bytes, ...hidden(spoiler, original) };
  }
  if (file.kind === 'file' || file.bytes.length > o.limits.mediaMaxBytes) return doc();
  if (file.kind === 'audio') return { kind: 'audio', ...original, spoiler: false, fallback: original };
  const kind = ANIMATED.test(file.mime) || /\.gif$/i.test(name) ? 'animation' : 'video';
  return { kind, ...original, ...hidden(spoiler, original) };
}

const hidden = (spoiler: boolean, original: { name: string; bytes: Buffer }) =>
  spoiler ? { spoiler: true } : { spoiler: false, fallback: original };

/**
 * Applies each file's safety decision: `spoiler` hides it behind Telegram's spoiler, `blur` posts the
 * blurred stand-in (its original only on request, privately), `block` posts nothing. Temp images
 * (previews a workflow saved) are not results.
 */
export async function planResult(result: JobResult, o: PlanOptions): Promise<ResultPlan> {
  const plan: ResultPlan = { items: [], tooBig: [], withheld: 0 };
  for (const [index, file] of result.files.entries()) {
    if (file.kind === 'image' && file.filename.includes('_temp_')) continue;
    const action = file.safety?.action ?? 'allow';
    const blurred = file.safety?.blurred;
    if (action === 'block' || (action === 'blur' && !blurred)) {
      plan.withheld++;
      continue;
    }
    if (action === 'blur' && blurred) {
      const stand = { name: `blurred-${index + 1}.jpg`, bytes: blurred.bytes };
      plan.items.push({ kind: 'photo', ...stand, spoiler: false, fallback: stand, reveal: index });
      continue;
    }
    const item = await outgoingOf(file, o, action === 'spoiler');
    if (item) plan.items.push(item);
    else if (action === 'spoiler') plan.withheld++;
    else plan.tooBig.push({ name: baseName(file.filename), index });
  }
  return plan;
}

/** Runs of items that can share one message: photos and videos together, audio together, documents together. */
export function albumsOf(items: readonly Outgoing[]): Outgoing[][] {
  const family = (k: SendKind) => (k === 'photo' || k === 'video' ? 'visual' : k);
  const out: Outgoing[][] = [];
  for (const item of items) {
    const last = out.at(-1);
    const joins =
      last && item.kind !== 'animation' && family(last[0]!.kind) === family(item.kind) && last.length < 10;
    if (joins) last.push(item);
    else out.push([item]);
  }
  return out;
}
