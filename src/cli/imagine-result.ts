import type { Locale, UserMessage } from '../core/i18n/i18n.ts';
import type { JobRecord } from '../core/jobs/types.ts';
import { type CliIo, Exit } from './io.ts';
import { translate, userText } from './messages.ts';
import { formatDuration } from './progress-bar.ts';

/** Prints how a job ended (paths and seed, or why not) and gives the exit code. */
export function report(io: CliIo, locale: Locale, json: boolean, job: JobRecord, files: string[]): number {
  const tr = translate(locale);
  if (job.state === 'canceled') {
    if (json)
      io.out(JSON.stringify({ error: { code: 'jobs.canceled', message: tr('cli.imagine.canceled') } }));
    else io.err(tr('cli.imagine.canceled'));
    return Exit.interrupted;
  }
  if (job.state !== 'succeeded') {
    const error = job.error ?? { code: `jobs.state.${job.state}` };
    if (json) io.out(JSON.stringify({ error: { code: error.code, message: userText(locale, error) } }));
    else io.err(tr('cli.imagine.failed', { reason: userText(locale, error) }));
    return Exit.failed;
  }
  const durationMs = (job.finishedAt ?? Date.now()) - job.createdAt;
  if (json) {
    io.out(
      JSON.stringify({ jobId: job.id, seed: job.seed, template: job.request.template, files, durationMs }),
    );
    return Exit.ok;
  }
  for (const f of files) io.out(f);
  io.out(
    tr('cli.imagine.done', { duration: formatDuration(durationMs), count: files.length, seed: job.seed }),
  );
  return Exit.ok;
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
