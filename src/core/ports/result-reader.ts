import type { ComfyClient } from '../../comfy/index.ts';
import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { Logger } from '../logger.ts';
import type { JobResult } from '../jobs/ports.ts';
import { readResult } from '../jobs/read-result.ts';
import type { JobRecord } from '../jobs/types.ts';
import './messages.ts';

/** One image of a finished job, as a person would get it. */
export interface ResultImage {
  bytes: Uint8Array;
  mime: string;
}

/**
 * A finished job's files, for showing them again (`/show`) or using one as the input of another job
 * (variation, upscale). The core reads them from whichever backend holds them; a front end never sees
 * which one, nor its client.
 */
export interface ResultReader {
  /** Every file and text the job produced. */
  read(job: JobRecord): Promise<Result<JobResult, UserMessage>>;
  /** Image `index` (from 1) among the job's saved images (previews and temp files apart). */
  image(job: JobRecord, index: number): Promise<Result<ResultImage, UserMessage>>;
}

/** Where the files are: a backend by name (the job's `backend`), with the one call that reads a file. */
export interface ResultHolders {
  get(backend: string): { client: Pick<ComfyClient, 'viewBytes'> } | undefined;
}

/** Reads results from the backend each job ran on; a missing or silent backend is an answer, not a throw. */
export function resultReader(holders: ResultHolders, log?: Logger): ResultReader {
  const readFrom = async (job: JobRecord, outputs: JobRecord['outputs']) => {
    const holder = job.backend ? holders.get(job.backend) : undefined;
    const gone: UserMessage = { code: 'results.unavailable', params: { id: job.id } };
    if (!holder) return err(gone);
    try {
      return ok(await readResult(holder.client, outputs ?? []));
    } catch (error) {
      log?.warn({ job: job.id, backend: job.backend, err: String(error) }, 'result files not readable');
      return err(gone);
    }
  };
  return {
    read: (job) => readFrom(job, job.outputs),
    async image(job, index) {
      const missing = err<UserMessage>({ code: 'chat.noImage', params: { id: job.id, index } });
      const saved = (job.outputs ?? []).filter((o) => o.kind === 'image' && o.filename && o.type !== 'temp');
      const file = saved[index - 1];
      if (!file) return missing;
      const read = await readFrom(job, [file]);
      if (!read.ok) return read;
      const [image] = read.value.files;
      return image ? ok({ bytes: image.bytes, mime: image.mime }) : missing;
    },
  };
}
