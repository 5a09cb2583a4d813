import type { Context } from 'hono';
import { Hono } from 'hono';
import { toLocale } from '#shared/i18n.ts';
import { linkable, type OutputLinks } from '../../core/jobs/output-links.ts';
import type { ResultFile } from '../../core/jobs/ports.ts';
import type { JobRecord } from '../../core/jobs/types.ts';
import type { ResultReader } from '../../core/ports/result-reader.ts';
import { assetHeaders } from './asset-headers.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import './output-file-messages.ts';
import { parseRange } from './range.ts';
import './safety-messages.ts';

/**
 * What the `/files` route needs, and nothing else: it checks links, finds the job and reads its file.
 * Self-contained so it works whatever the rest of the server is built from.
 */
export interface OutputFileDeps {
  links: Pick<OutputLinks, 'check'>;
  jobs: { get(id: string): Promise<JobRecord | undefined> };
  results: Pick<ResultReader, 'read'>;
}

/** The job's outputs that are files, in the order of `JobResult.files` (what a link's index counts). */
const fileOutputs = (job: JobRecord) => (job.outputs ?? []).filter((o) => o.kind !== 'text' && o.filename);

/**
 * `GET /files/:job/:index?exp=&sig=`: one output of a chat job, for anyone holding a valid link (made
 * by `OutputLinks` for a file too big for its chat). A wrong or tampered link is 404 `link_invalid`, an
 * expired one 410 `link_expired`, a deleted job or file 410 `file_gone`, a file the safety stage blurred
 * or blocked 403 `safety_blocked`, a backend that does not answer 404 `file_unavailable`; never a 5xx.
 * Served as assets are: sandboxed, `nosniff`, single ranges.
 */
export function outputFiles(deps: OutputFileDeps): Hono<Env> {
  const files = new Hono<Env>();
  files.use('*', async (c, next) => {
    if (!c.var.locale) c.set('locale', toLocale(c.req.header('accept-language')?.split(',')[0]));
    await next();
  });
  files.get('/:job/:index', async (c) => {
    const jobId = c.req.param('job');
    const raw = c.req.param('index');
    const index = /^\d{1,4}$/.test(raw) ? Number(raw) : -1;
    const check = deps.links.check(jobId, index, c.req.query('exp'), c.req.query('sig'));
    if (check === 'invalid') return fail(c, 404, 'link_invalid', { code: 'http.link.invalid' });
    if (check === 'expired') return fail(c, 410, 'link_expired', { code: 'http.link.expired' });
    const job = await deps.jobs.get(jobId).catch(() => undefined);
    const output = job && job.deletedAt === undefined ? fileOutputs(job)[index] : undefined;
    if (!job || !output) return fail(c, 410, 'file_gone', { code: 'http.link.gone' });
    if (!linkable(job, index)) {
      const rule = job.safety?.find((d) => d.output === index)?.rule ?? 'unknown';
      return fail(c, 403, 'safety_blocked', { code: 'http.safety.blocked', params: { rule } }, { rule });
    }
    // Only this file is read; the decision was checked above from the stored ones.
    const read = await deps.results
      .read({ ...job, outputs: [output], safety: undefined })
      .catch(() => undefined);
    const file = read?.ok ? read.value.files[0] : undefined;
    if (!file) return fail(c, 404, 'file_unavailable', { code: 'http.link.unavailable' });
    return send(c, file, `${jobId}-${index}`);
  });
  return files;
}

function send(c: Context<Env>, file: ResultFile, fallbackName: string): Response {
  const size = file.bytes.length;
  // A view of the bytes, not a copy (a file here is over a chat's upload limit: tens of MB).
  const view = (start: number, length: number) =>
    new Uint8Array(file.bytes.buffer as ArrayBuffer, file.bytes.byteOffset + start, length);
  const range = parseRange(c.req.header('range'), size);
  const headers = { contentType: file.mime, filePath: file.filename, id: fallbackName };
  for (const [name, value] of Object.entries(assetHeaders(headers))) c.header(name, value);
  c.header('Accept-Ranges', 'bytes');
  c.header('Cache-Control', 'private, max-age=3600');
  c.header('X-Robots-Tag', 'noindex');
  if (range === 'unsatisfiable') {
    c.header('Content-Range', `bytes */${size}`);
    return c.body(null, 416);
  }
  if (range === 'none') {
    c.header('Content-Length', String(size));
    return c.body(view(0, size), 200);
  }
  c.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  c.header('Content-Length', String(range.end - range.start + 1));
  return c.body(view(range.start, range.end - range.start + 1), 206);
}
