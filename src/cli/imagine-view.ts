import type { Locale } from '#shared/i18n.ts';
import type { JobUpdate } from '../core/jobs/types.ts';
import type { CliIo } from './io.ts';
import { translate } from './messages.ts';
import { formatDuration, renderProgressLine } from './progress-bar.ts';

/**
 * Shows a job's updates on stderr: its place in the queue, the backend it went to, then a progress bar,
 * redrawn in place on a terminal and printed as plain lines (one per update) otherwise.
 */
export function createProgressView(io: CliIo, locale: Locale, template: string) {
  const tr = translate(locale);
  const labels = {
    step: tr('cli.progress.step'),
    elapsed: tr('cli.progress.elapsed'),
    eta: tr('cli.progress.eta'),
  };
  let lastPosition: number | undefined | null = null;
  let lastState: string | undefined;
  let drawn = false;
  let lastLine = '';
  const endLine = () => {
    if (drawn) io.errRaw('\n');
    drawn = false;
  };
  const queued = (jobId: string, position: number | undefined, etaMs: number | undefined): void => {
    if (position === lastPosition) return;
    lastPosition = position;
    endLine();
    if (position === undefined) {
      io.err(tr('cli.imagine.submitted', { job: jobId, template }));
      return;
    }
    const params = { job: jobId, template, position: position + 1 };
    io.err(
      etaMs === undefined
        ? tr('cli.imagine.queued', params)
        : tr('cli.imagine.queued_eta', { ...params, eta: formatDuration(etaMs) }),
    );
  };
  return {
    queued,
    update(u: JobUpdate): void {
      const { job } = u;
      if (job.state === 'queued') {
        queued(job.id, u.position, u.etaMs);
        return;
      }
      if (job.state === 'dispatched' && lastState !== 'dispatched') {
        endLine();
        io.err(tr('cli.imagine.dispatched', { backend: job.backend ?? '?' }));
      }
      lastState = job.state;
      if (!u.progress || (job.state !== 'running' && job.state !== 'dispatched')) return;
      const started = job.startedAt ?? job.dispatchedAt ?? job.createdAt;
      const line = renderProgressLine(u.progress, Date.now() - started, 24, labels);
      if (io.isTTY) {
        io.errRaw(`\r${line}\x1b[K`);
        drawn = true;
      } else if (line !== lastLine) {
        io.err(line);
      }
      lastLine = line;
    },
    /** Ends a bar drawn in place, before anything else is printed. */
    done: endLine,
  };
}
