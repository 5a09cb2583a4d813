import type { ComfyClient } from '../../comfy/index.ts';
import type { JobResult, ResultFile } from './ports.ts';
import type { StoredOutput } from './types.ts';

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  webm: 'video/webm',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
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
