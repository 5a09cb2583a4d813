import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { ResultFile } from '../core/jobs/ports.ts';
import type { JobRecord } from '../core/jobs/types.ts';

const EXT_BY_MIME: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'audio/flac': '.flac',
  'audio/mpeg': '.mp3',
};

/**
 * Writes a job's files as `<jobId>_<seed>_<n>.<ext>` (n from 1), so the seed travels with each image.
 * Writing the same job twice overwrites the same names: delivery may be retried.
 */
export async function saveResultFiles(
  dir: string,
  job: JobRecord,
  files: readonly ResultFile[],
): Promise<string[]> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths: string[] = [];
  for (const [i, f] of files.entries()) {
    const ext = extname(f.filename) || EXT_BY_MIME[f.mime] || '.bin';
    const path = join(root, `${job.id}_${job.seed}_${i + 1}${ext}`);
    await writeFile(path, f.bytes);
    paths.push(path);
  }
  return paths;
}
