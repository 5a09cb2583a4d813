import type { Context } from 'hono';
import type { z } from 'zod';
import { DEFAULT_POLICY } from '../../core/chat/community-policy.ts';
import type { JobRecord, Requester } from '../../core/jobs/types.ts';
import type { GivenImage, ImagineRequest } from '../../core/prompt/index.ts';
import type { Env } from './context.ts';
import { submitImagine } from './imagine-intake.ts';
import { viewOf } from './jobs-common.ts';
import type { ImagineBody } from './schemas.ts';
import { streamJob } from './sse.ts';
import { relayJob } from './to-v2.ts';
import { ended, MAX_WAIT_MS, waitForEnd } from './wait.ts';
import { base64Answer, responseForm } from './wait-base64.ts';

type Body = z.infer<typeof ImagineBody>;

/**
 * The pipeline's view of a relay body: `prompt` is grammar text; `template`, `model`, `negative`, `seed`
 * and `params` are typed and win over the same settings written as flags. API keys belong to no community,
 * and whoever holds one may use every template.
 */
export function imagineRequestOf(body: Body, requester: Requester, image?: GivenImage): ImagineRequest {
  const { template, model, negative, seed, params } = body;
  return {
    text: body.prompt,
    options: {
      ...(template !== undefined ? { template } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(negative !== undefined ? { negative } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(params ? { params } : {}),
    },
    ...(image ? { image } : {}),
    requester,
    place: { nsfwAllowed: true },
    policy: DEFAULT_POLICY,
  };
}

/**
 * `POST /api/relay/imagine`. Several jobs (`--n` on a template without a batch parameter) answer with the
 * first job's fields and all of them in `jobs`; `wait`/`stream` then end when all of them have.
 */
export async function imagine(c: Context<Env>): Promise<Response> {
  const form = responseForm(c);
  if (form instanceof Response) return form;
  const submitted = await submitImagine(c, imagineRequestOf);
  if (submitted instanceof Response) return submitted;
  const { jobs, replayed } = submitted;
  const first = jobs[0]!;
  if (c.req.query('stream') === 'true') {
    return streamJob(c, first, async () => {
      await Promise.all(jobs.slice(1).map((j) => ended(c, j.id, MAX_WAIT_MS)));
      return { event: 'result', data: await answer(c, jobs) };
    });
  }
  if (c.req.query('wait') === 'true') {
    if (jobs.length === 1) return waitForEnd(c, first.id, form);
    await Promise.all(jobs.map((j) => ended(c, j.id, MAX_WAIT_MS)));
    return form === 'base64' ? base64Answer(c, jobs) : c.json(await answer(c, jobs));
  }
  return c.json(await answer(c, jobs), replayed ? 200 : 202);
}

/** The relay view of the first job, with every job in `jobs` when there are several (read afresh). */
async function answer(c: Context<Env>, jobs: readonly JobRecord[]) {
  const { jobs: port } = c.var.deps;
  const views = await Promise.all(
    jobs.map(async (j) => relayJob(port, await viewOf(c, (await port.get(j.id)) ?? j))),
  );
  return jobs.length === 1 ? views[0]! : { ...views[0]!, jobs: views };
}
