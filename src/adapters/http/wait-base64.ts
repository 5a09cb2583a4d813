import type { Context } from 'hono';
import type { AssetRecord } from '../../core/assets/asset-store.ts';
import type { JobRecord } from '../../core/jobs/types.ts';
import { downloadName } from './asset-headers.ts';
import { base64Length } from './base64-image.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { viewOf } from './jobs-common.ts';
import {
  blurredBytes,
  isBlocked,
  isBlurred,
  type OutputSafetyJson,
  outputSafetyJson,
} from './output-safety.ts';
import { relayJob } from './to-v2.ts';

/** How `?wait=true` answers: the one image itself, the job with output URLs, or the outputs as base64. */
export type ResponseForm = 'binary' | 'url' | 'base64';
const FORMS = new Set<string>(['binary', 'url', 'base64']);
const MB = 1024 * 1024;

/**
 * `?response=binary|url|base64`; without it, `Accept: application/json` asks for base64 and anything else
 * for the image itself (the job with URLs when there is not exactly one image). Read before the job is
 * made, so a mistyped form makes no job.
 */
export function responseForm(c: Context<Env>): ResponseForm | Response {
  const asked = c.req.query('response');
  if (asked === undefined) return c.req.header('accept')?.includes('application/json') ? 'base64' : 'binary';
  if (FORMS.has(asked)) return asked as ResponseForm;
  return fail(c, 400, 'invalid_request', { code: 'http.wait.responseForm' }, { field: 'response' });
}

/** One output in the base64 answer; `base64` is null when the safety stage blocked the file. */
export interface Base64File {
  filename: string;
  mime: string;
  kind: string;
  base64: string | null;
  safety?: OutputSafetyJson;
}

/** The bytes an output hands out, as `assetContent` serves them: none when blocked, the blurred JPEG when blurred. */
interface Shown {
  filename: string;
  mime: string;
  size: number;
  read: () => Promise<Buffer | undefined>;
}

async function shownOf(c: Context<Env>, record: AssetRecord): Promise<Shown | undefined> {
  const { assets } = c.var.deps;
  const filename = downloadName(record.filePath, record.id);
  if (isBlocked(record)) return undefined;
  if (isBlurred(record)) {
    const bytes = await blurredBytes(record.id, () => assets.bytes(record));
    if (!bytes) return undefined;
    const name = `${filename.replace(/\.[^.]*$/, '')}.blurred.jpg`;
    return { filename: name, mime: 'image/jpeg', size: bytes.length, read: async () => bytes };
  }
  return { filename, mime: record.contentType, size: record.size, read: () => assets.bytes(record) };
}

/**
 * `?wait=true` with `response=base64` (or `Accept: application/json`): the relay view of each job with its
 * outputs in `files` as base64, each with its safety decision (a blocked file without bytes, a blurred
 * one as its blurred JPEG). Sizes are added up before an original is read; an answer past
 * `http.limits.base64ResponseMb` is a 413 carrying the job with its output URLs to download instead.
 */
export async function base64Answer(c: Context<Env>, jobs: readonly JobRecord[]): Promise<Response> {
  const { jobs: port } = c.var.deps;
  const limitMb = c.var.guards.limits.base64ResponseMb;
  const read = await Promise.all(
    jobs.map(async (j) => {
      const view = await viewOf(c, (await port.get(j.id)) ?? j);
      return { view, shown: await Promise.all(view.outputs.map((o) => shownOf(c, o))) };
    }),
  );
  const sizes = read.flatMap((r) => r.shown.map((s) => (s ? base64Length(s.size) : 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > limitMb * MB) {
    const urls = read.map((r) => relayJob(port, r.view));
    const mb = Math.ceil((total / MB) * 10) / 10;
    const details = { size_bytes: total, limit_bytes: Math.floor(limitMb * MB), job: urls[0] };
    return fail(
      c,
      413,
      'response_too_large',
      { code: 'http.wait.base64TooLarge', params: { mb, limitMb } },
      urls.length > 1 ? { ...details, jobs: urls } : details,
    );
  }
  const views = await Promise.all(
    read.map(async ({ view, shown }) => {
      const job = relayJob(port, view);
      const files = await Promise.all(
        view.outputs.map(async (record, i): Promise<Base64File> => {
          const file = shown[i];
          const bytes = await file?.read();
          const safety = outputSafetyJson(record, job.outputs[i]!.url);
          return {
            filename: file?.filename ?? downloadName(record.filePath, record.id),
            mime: file?.mime ?? record.contentType,
            kind: record.kind ?? 'file',
            base64: bytes ? bytes.toString('base64') : null,
            ...(safety ? { safety } : {}),
          };
        }),
      );
      return { ...job, files };
    }),
  );
  return c.json(views.length === 1 ? views[0]! : { ...views[0]!, jobs: views });
}
