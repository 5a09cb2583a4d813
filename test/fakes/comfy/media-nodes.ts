// Output nodes that write animations, videos and audio, with the `ui` dicts ComfyUI 0.3.64 reports.
import { readFileSync } from 'node:fs';
import type { DirType } from './files.ts';
import { animatedWebpBytes, flacBytes, pngBytes, type Rgb } from './images.ts';
import { inputsOf, linkedValue, pngTexts, prefixInput, saveFiles } from './node-files.ts';
import type { NodeContext } from './nodes.ts';
import type { JsonObject } from './types.ts';

const media = (name: string) => readFileSync(new URL(`../../fixtures/media/${name}`, import.meta.url));
/** No encoder runs in tests: every video is the same tiny valid file (provenance in its README). */
export const TINY_WEBM = media('tiny.webm');
export const TINY_MP4 = media('tiny.mp4');

/** `ui.PreviewVideo` (comfy_api/latest/_ui.py): videos are listed under `images` with `animated: (True,)`. */
const previewVideo = (images: unknown[]): JsonObject => ({ images, animated: [true] }) as JsonObject;

/** The `ui` of an animation, video or audio output node; undefined for other classes. */
export async function mediaUi(ctx: NodeContext, cls: string): Promise<JsonObject | undefined> {
  switch (cls) {
    case 'SaveAnimatedWEBP':
    case 'SaveAnimatedPNG': {
      const images = linkedValue(ctx, 'images');
      const ext = cls === 'SaveAnimatedWEBP' ? 'webp' : 'png';
      const frames = Array.from({ length: Math.max(1, images.batch) }, (_, i) =>
        images.color.map((c) => (c + i * 40) % 256),
      ) as Rgb[];
      const refs = await saveFiles(
        ctx,
        images,
        { type: 'output', prefix: prefixInput(ctx, 'ComfyUI'), ext, perBatch: false },
        () =>
          ext === 'webp'
            ? animatedWebpBytes(images.width, images.height, frames)
            : pngBytes(images.width, images.height, images.color, pngTexts(ctx)),
      );
      return { images: refs, animated: [frames.length !== 1] };
    }
    case 'SaveWEBM': {
      const images = linkedValue(ctx, 'images');
      const opts = {
        type: 'output' as const,
        prefix: prefixInput(ctx, 'ComfyUI'),
        ext: 'webm',
        perBatch: false,
      };
      return previewVideo(await saveFiles(ctx, images, opts, async () => TINY_WEBM));
    }
    case 'SaveVideo': {
      const video = linkedValue(ctx, 'video');
      // VideoContainer.get_extension: `auto` is mp4, the only container 0.3.64 offers.
      const format = inputsOf(ctx).format;
      const ext = format === 'auto' || format === undefined ? 'mp4' : String(format);
      const opts = {
        type: 'output' as const,
        prefix: prefixInput(ctx, 'video/ComfyUI'),
        ext,
        perBatch: false,
      };
      return previewVideo(await saveFiles(ctx, video, opts, async () => TINY_MP4));
    }
    case 'SaveAudio':
    case 'SaveAudioMP3':
    case 'SaveAudioOpus':
    case 'PreviewAudio': {
      const preview = cls === 'PreviewAudio';
      const ext = cls === 'SaveAudioMP3' ? 'mp3' : cls === 'SaveAudioOpus' ? 'opus' : 'flac';
      const prefix = preview ? `ComfyUI${ctx.tempPrefix(ctx.id)}` : prefixInput(ctx, 'audio/ComfyUI');
      const audio = linkedValue(ctx, 'audio');
      const type: DirType = preview ? 'temp' : 'output';
      const refs = await saveFiles(ctx, audio, { type, prefix, ext, perBatch: false }, async () =>
        flacBytes(),
      );
      return { audio: refs };
    }
    default:
      return undefined;
  }
}
