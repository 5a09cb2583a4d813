import type { Context } from 'hono';
import { type JobRecord, ownerKey } from '../../core/jobs/types.ts';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { bodyHash, validIdempotencyKey } from './idempotency.ts';

export type Submitted =
  | { replayed: false; jobs: JobRecord[] }
  /** The key was used before; `same` when with the same body. `jobs` are those it made (if still kept). */
  | { replayed: true; same: boolean; jobs: JobRecord[] };

/**
 * Runs `submit` under the request's `Idempotency-Key` (scoped to the caller), if it has one: the key is
 * spent only when jobs were made, concurrent repeats wait for the first and get its jobs, and each front
 * end answers a replay its own way (Comfy API v2 rejects it, the relay returns the job).
 */
export async function submitOnce(
  c: Context<Env>,
  bodyText: string,
  submit: () => Promise<JobRecord[] | Response>,
): Promise<Submitted | Response> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) {
    const jobs = await submit();
    return jobs instanceof Response ? jobs : { replayed: false, jobs };
  }
  if (!validIdempotencyKey(key)) return fail(c, 400, 'invalid_request', { code: 'http.idempotency.invalid' });
  const { jobs: port } = c.var.deps;
  const outcome = await c.var.guards.idempotency.run(
    `${ownerKey(c.var.requester)}:${key}`,
    bodyHash(bodyText),
    async (): Promise<{ jobs: string[]; value: JobRecord[] } | { refused: Response }> => {
      const jobs = await submit();
      return jobs instanceof Response ? { refused: jobs } : { jobs: jobs.map((j) => j.id), value: jobs };
    },
    async (ids) => {
      await Promise.all(ids.map((id) => port.cancel(id, c.var.requester).catch(() => undefined)));
    },
  );
  if (outcome.kind === 'refused') return outcome.value;
  if (outcome.kind === 'fresh') return { replayed: false, jobs: outcome.value };
  const jobs = await Promise.all(outcome.record.jobs.map((id) => port.get(id)));
  return { replayed: true, same: outcome.same, jobs: jobs.filter((j): j is JobRecord => j !== undefined) };
}

/** Comfy API v2's answer to a reused key: 422 `idempotency_key_reuse`, naming the job it made. */
export function reuseRefusal(c: Context<Env>, submitted: Extract<Submitted, { replayed: true }>): Response {
  const jobId = submitted.jobs[0]?.id ?? '';
  return fail(
    c,
    422,
    'idempotency_key_reuse',
    { code: submitted.same ? 'http.idempotencyReuse' : 'http.idempotency.mismatch', params: { jobId } },
    { job_id: jobId },
  );
}
