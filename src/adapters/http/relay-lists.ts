import type { Context } from 'hono';
import { ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { viewOf } from './jobs-common.ts';
import { relayJob, v2Asset } from './to-v2.ts';

/** The most jobs the engine keeps per person for listing (its per-owner history). */
const HISTORY = 200;

/** `limit` (1–100, default 20) and `cursor` (the last id of the previous page) of a list request. */
function pageOf(c: Context<Env>): { limit: number; cursor?: string } | Response {
  const raw = c.req.query('limit');
  const limit = raw === undefined ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return fail(c, 400, 'invalid_request', {
      code: 'http.badRequest',
      params: { details: 'limit: an integer from 1 to 100' },
    });
  const cursor = c.req.query('cursor');
  if (cursor !== undefined && !/^[\w-]{1,100}$/.test(cursor))
    return fail(c, 400, 'invalid_request', { code: 'http.cursor.invalid' });
  return { limit, ...(cursor ? { cursor } : {}) };
}

/**
 * `GET /api/relay/jobs?limit=&cursor=`: the caller's jobs, newest first, a page at a time;
 * `next_cursor` is null on the last page.
 */
export async function listJobs(c: Context<Env>): Promise<Response> {
  const page = pageOf(c);
  if (page instanceof Response) return page;
  const all = await c.var.deps.jobs.listForUser(c.var.requester, HISTORY);
  const start = page.cursor ? all.findIndex((j) => j.id === page.cursor) + 1 : 0;
  if (page.cursor && start === 0) return fail(c, 400, 'invalid_request', { code: 'http.cursor.invalid' });
  const jobs = all.slice(start, start + page.limit);
  const views = await Promise.all(jobs.map(async (j) => relayJob(c.var.deps.jobs, await viewOf(c, j))));
  const more = start + page.limit < all.length;
  return c.json({ jobs: views, next_cursor: more ? (jobs.at(-1)?.id ?? null) : null });
}

/** `GET /api/relay/assets?limit=&cursor=`: the caller's uploads and outputs, newest first, paged. */
export async function listAssets(c: Context<Env>): Promise<Response> {
  const page = pageOf(c);
  if (page instanceof Response) return page;
  const { assets } = c.var.deps;
  const owner = ownerKey(c.var.requester);
  const records = await assets.list(owner, { limit: page.limit + 1, after: page.cursor });
  if (page.cursor && records.length === 0 && (await assets.get(page.cursor))?.owner !== owner)
    return fail(c, 400, 'invalid_request', { code: 'http.cursor.invalid' });
  const shown = records.slice(0, page.limit);
  return c.json({
    assets: shown.map((a) => v2Asset(a, c.var.origin)),
    next_cursor: records.length > page.limit ? (shown.at(-1)?.id ?? null) : null,
  });
}
