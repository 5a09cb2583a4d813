import type { Locale, UserMessage } from '#shared/i18n.ts';
import type { JobRecord } from '../core/jobs/types.ts';
import { type CliIo, Exit } from './io.ts';
import { translate, userText } from './messages.ts';
import { formatDuration } from './progress-bar.ts';

/** Prints how a job ended (paths and seed, or why not) and gives the exit code. */
export function report(io: CliIo, locale: Locale, json: boolean, job: JobRecord, files: string[]): number {
  if (json) io.out(JSON.stringify(resultOf(locale, job, files, false)));
  else printResult(io, locale, job, files, '');
  return exitOf(job);
}

/**
 * Prints how each job of a `--n` run ended (with --json, one JSON array: a result or an error per job)
 * and gives the worst exit code: interrupted, then failed, then ok.
 */
export function reportAll(
  io: CliIo,
  locale: Locale,
  json: boolean,
  runs: readonly { job: JobRecord; files: string[] }[],
): number {
  if (json) io.out(JSON.stringify(runs.map((r) => resultOf(locale, r.job, r.files, true))));
  else {
    for (const [i, r] of runs.entries()) {
      printResult(io, locale, r.job, r.files, `[${i + 1}/${runs.length}] `);
    }
  }
  const codes = runs.map((r) => exitOf(r.job));
  if (codes.includes(Exit.interrupted)) return Exit.interrupted;
  return codes.includes(Exit.failed) ? Exit.failed : Exit.ok;
}

function exitOf(job: JobRecord): number {
  if (job.state === 'canceled') return Exit.interrupted;
  return job.state === 'succeeded' ? Exit.ok : Exit.failed;
}

/** A job's JSON result, or `{error}` (with its id, seed and template when `named`, as in a list). */
function resultOf(locale: Locale, job: JobRecord, files: string[], named: boolean): object {
  const tr = translate(locale);
  const name = named ? { jobId: job.id, seed: job.seed, template: job.request.template } : {};
  if (job.state === 'canceled') {
    return { ...name, error: { code: 'jobs.canceled', message: tr('cli.imagine.canceled') } };
  }
  if (job.state !== 'succeeded') {
    const error = job.error ?? { code: `jobs.state.${job.state}` };
    return { ...name, error: { code: error.code, message: userText(locale, error) } };
  }
  const durationMs = (job.finishedAt ?? Date.now()) - job.createdAt;
  return { jobId: job.id, seed: job.seed, template: job.request.template, files, durationMs };
}

function printResult(io: CliIo, locale: Locale, job: JobRecord, files: string[], prefix: string): void {
  const tr = translate(locale);
  if (job.state === 'canceled') {
    io.err(prefix + tr('cli.imagine.canceled'));
    return;
  }
  if (job.state !== 'succeeded') {
    const error = job.error ?? { code: `jobs.state.${job.state}` };
    io.err(prefix + tr('cli.imagine.failed', { reason: userText(locale, error) }));
    return;
  }
  const durationMs = (job.finishedAt ?? Date.now()) - job.createdAt;
  for (const f of files) io.out(f);
  io.out(
    prefix +
      tr('cli.imagine.done', { duration: formatDuration(durationMs), count: files.length, seed: job.seed }),
  );
}

/** Prints a failure (as `{error:{code,message}}` with --json); returns undefined so callers add their code. */
export function failOut(
  io: CliIo,
  locale: Locale,
  json: boolean,
  message: UserMessage,
  text?: string,
): undefined {
  const shown = text ?? userText(locale, message);
  if (json) io.out(JSON.stringify({ error: { code: message.code, message: shown } }));
  else io.err(shown);
  return undefined;
}
