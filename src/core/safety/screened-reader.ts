import { ok } from '#shared/result.ts';
import type { ResultReader } from '../ports/result-reader.ts';
import { storedFor } from './job-safety.ts';

/**
 * Results read again (`/show`, a result re-rendered, an admin's review) carry the safety decision stored
 * with their job, so showing a job again presents each file as its delivery did. `bytes` stay the
 * original (the requester's "show original", an admin's `/admin safety original`); `safety` says how to
 * present them in public. Jobs without stored decisions (screening off, the command line) are unchanged.
 */
export function screenedResults(inner: ResultReader): ResultReader {
  return {
    image: (job, index) => inner.image(job, index),
    async read(job) {
      const read = await inner.read(job);
      const apply = read.ok ? storedFor(job.safety, read.value.files) : undefined;
      if (!read.ok || !apply) return read;
      return ok({ ...read.value, files: await Promise.all(read.value.files.map(apply)) });
    },
  };
}
