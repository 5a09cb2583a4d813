import type { ComfyClient } from '../../comfy/index.ts';
import type { JobResult, ResultFile } from './ports.ts';
import type { StoredOutput } from './types.ts';

const MIME: Record<string, string> = {
  png: 'image/png',
  apng: 'image/apng',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  ogv: 'video/ogg',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  // Opus files are Ogg streams (RFC 7845 registers `.opus` under audio/ogg); `audio/opus` names bare RTP
  // payloads, which neither browsers nor chat platforms play from a file.
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  aiff: 'audio/aiff',
  aif: 'audio/aiff',
};

export const mimeOf = (filename: string): string =>
  MIME[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/** Fetches every output file of a finished job from its backend, in memory. */
export async function readResult(
  client: Pick<ComfyClient, 'viewBytes'>,
  outputs: StoredOutput[],
): Promise<JobResult> {
  const files: ResultFile[] = [];
  const texts: { node: string; text: string }[] = [];
  for (const o of outputs) {
    if (o.kind === 'text') {
      if (o.text !== undefined) texts.push({ node: o.node, text: o.text });
      continue;
    }
    if (!o.filename) continue;
    const bytes = await client.viewBytes({
      filename: o.filename,
      subfolder: o.subfolder ?? '',
      type: o.type ?? 'output',
    });
    files.push({
      node: o.node,
      kind: o.kind,
      filename: o.filename,
      mime: o.mime ?? mimeOf(o.filename),
      bytes,
    });
  }
  return { files, texts };
}
