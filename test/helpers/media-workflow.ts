// A template whose outputs are every kind ComfyUI saves: an animated WebP, a WebM, an MP4 and a FLAC.
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kSampler } from './sd-nodes.ts';

const WORKFLOWS_DIR = resolve(import.meta.dirname, '../../workflows');

type Graph = Record<
  string,
  { class_type: string; inputs: Record<string, unknown>; _meta?: { title: string } }
>;

/** SD 1.5 txt2img (`workflows/sd15-txt2img.json`'s nodes) feeding every animation, video and audio saver. */
export const MEDIA_WORKFLOW: Graph = {
  '3': kSampler(1, 2),
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 2 } },
  '6': {
    class_type: 'CLIPTextEncode',
    inputs: { text: 'a fox', clip: ['4', 1] },
    _meta: { title: 'Positive' },
  },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] }, _meta: { title: 'Negative' } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '20': {
    class_type: 'SaveAnimatedWEBP',
    inputs: {
      images: ['8', 0],
      filename_prefix: 'anim',
      fps: 6,
      lossless: false,
      quality: 80,
      method: 'default',
    },
  },
  '21': {
    class_type: 'SaveWEBM',
    inputs: { images: ['8', 0], filename_prefix: 'clip', codec: 'vp9', fps: 24, crf: 32 },
  },
  '22': { class_type: 'CreateVideo', inputs: { images: ['8', 0], fps: 8 } },
  '23': {
    class_type: 'SaveVideo',
    inputs: { video: ['22', 0], filename_prefix: 'video/ComfyUI', format: 'auto', codec: 'auto' },
  },
  '24': { class_type: 'EmptyAudio', inputs: { duration: 1, sample_rate: 44100, channels: 1 } },
  '25': { class_type: 'SaveAudio', inputs: { audio: ['24', 0], filename_prefix: 'audio/ComfyUI' } },
};

export const MEDIA_TEMPLATE = 'media-outputs';

const MANIFEST = `name: ${MEDIA_TEMPLATE}
description: { en: Every kind of output, zh: 各种输出 }
tags: [txt2img]
family: sd15
parameters:
  prompt:
    targets: [{ node: "6", input: text }]
    kind: text
    user: true
  seed:
    targets: [{ node: "3", input: seed }]
  width: { min: 64, max: 512, step: 64, default: 64 }
  height: { min: 64, max: 512, step: 64, default: 64 }
  batch: { min: 1, max: 4, default: 2 }
`;

/** Writes the template (graph and manifest) into a workflows folder. */
export function writeMediaTemplate(dir: string): void {
  writeFileSync(join(dir, `${MEDIA_TEMPLATE}.json`), JSON.stringify(MEDIA_WORKFLOW, null, 2));
  writeFileSync(join(dir, `${MEDIA_TEMPLATE}.manifest.yaml`), MANIFEST);
}

/** A new temporary workflows folder with copies of `names` from `workflows/` (by default every SD 1.5 one). */
export function workflowsCopy(
  prefix: string,
  names: readonly string[] = readdirSync(WORKFLOWS_DIR).filter((f) => f.startsWith('sd15')),
): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of names) copyFileSync(join(WORKFLOWS_DIR, f), join(dir, f));
  return dir;
}

/** `workflowsCopy` with the media template written in too. */
export function mediaWorkflowsDir(prefix: string, names?: readonly string[]): string {
  const dir = workflowsCopy(prefix, names);
  writeMediaTemplate(dir);
  return dir;
}

/** What each output is delivered as: extension, MIME type, kind and the bytes it starts with. */
export const MEDIA_EXPECTED = [
  { node: '20', ext: '.webp', mime: 'image/webp', kind: 'video', magic: 'RIFF' },
  { node: '21', ext: '.webm', mime: 'video/webm', kind: 'video', magic: '\x1a\x45\xdf\xa3' },
  { node: '23', ext: '.mp4', mime: 'video/mp4', kind: 'video', magic: '\0\0\0' },
  { node: '25', ext: '.flac', mime: 'audio/flac', kind: 'audio', magic: 'fLaC' },
] as const;
