import type { JobsPort } from '../core/ports/jobs-port.ts';
import type { Locale } from '#shared/i18n.ts';
import type { JobRecord, JobUpdate, Requester } from '../core/jobs/types.ts';
import { isTerminal } from '../core/jobs/types.ts';
import { type ImaginePlan, submitPlan } from '../core/prompt/index.ts';
import { createProgressView } from './imagine-view.ts';
import { failOut, report, reportAll } from './imagine-result.ts';
import { type CliIo, Exit } from './io.ts';
import { translate } from './messages.ts';
import { saveResultFiles } from './save-files.ts';

/** How long Ctrl-C waits for ComfyUI to confirm the cancel before leaving anyway. */
const CANCEL_WAIT_MS = 15_000;

export interface JobsPlan {
  /** What the pipeline decided: one job each, queued in order (`--n` repeats give several). */
  plan: Pick<ImaginePlan, 'requests' | 'image'>;
  json: boolean;
  outDir: string;
  requester: Requester;
}

/** What the run uses of the core: the jobs, and the configured progress pace off a terminal. */
export interface JobsDeps {
  jobs: Pick<JobsPort, 'submit' | 'cancel' | 'position' | 'registerFrontEnd'>;
  progressIntervalMs: number;
}

interface Tracked {
  view: ReturnType<typeof createProgressView>;
  done: Promise<JobRecord>;
  finish: (job: JobRecord) => void;
  ended: boolean;
}

/**
 * Queues the jobs, shows each one's progress on stderr, saves every image in `outDir` and reports.
 * Ctrl-C cancels every job of the run on ComfyUI (a second Ctrl-C leaves at once); exit code 130.
 */
export async function runJobs(deps: JobsDeps, io: CliIo, locale: Locale, plan: JobsPlan): Promise<number> {
  const { json, requester } = plan;
  const { jobs: engine } = deps;
  const tr = translate(locale);
  const total = plan.plan.requests.length;
  // Reported as a list (a JSON array, numbered lines) when `--n` asked for repeats.
  const list = total > 1;
  const stderr: CliIo = json ? { ...io, err: () => {}, errRaw: () => {} } : oneBarAtATime(io);
  const jobs = new Map<string, Tracked>();
  const files = new Map<string, string[]>();
  engine.registerFrontEnd({
    platform: 'cli',
    updateIntervalMs: () => (io.isTTY ? 250 : deps.progressIntervalMs),
    update(u: JobUpdate) {
      const t = jobs.get(u.job.id);
      if (!t) return;
      if (isTerminal(u.job.state)) {
        t.ended = true;
        t.finish(u.job);
      } else t.view.update(u);
    },
    async deliver(job, result) {
      files.set(job.id, await saveResultFiles(plan.outDir, job, result.files));
    },
  });

  let interrupted = false;
  let canceling = false;
  let quit: (code: number) => void = () => {};
  let leaveAnyway: NodeJS.Timeout | undefined;
  const quitNow = new Promise<number>((r) => {
    quit = r;
  });
  const cancel = () => {
    if (canceling || jobs.size === 0) return; // none submitted yet: canceled as soon as one is
    canceling = true;
    for (const t of jobs.values()) t.view.done();
    if (!json) io.err(tr('cli.imagine.canceling'));
    for (const [id, t] of jobs) if (!t.ended) void engine.cancel(id, requester);
    leaveAnyway = setTimeout(() => quit(Exit.interrupted), CANCEL_WAIT_MS);
  };
  const stopListening = io.onInterrupt(() => {
    if (interrupted) return quit(Exit.interrupted);
    interrupted = true;
    cancel();
  });
  try {
    // A refusal cancels the jobs already queued for this run: nothing is half done.
    const submitted = await submitPlan(engine, plan.plan, {
      requester,
      delivery: () => ({ platform: 'cli' }),
      stop: () => interrupted,
      onQueued(job, i) {
        let finish: (job: JobRecord) => void = () => {};
        const done = new Promise<JobRecord>((r) => {
          finish = r;
        });
        const prefix = list ? `[${i + 1}/${total}] ` : '';
        const view = createProgressView(prefixed(stderr, prefix), locale, job.request.template);
        jobs.set(job.id, { view, done, finish, ended: false });
        const place = engine.position(job.id);
        view.queued(job.id, place?.position, place?.etaMs);
      },
    });
    if (!submitted.ok) return failOut(io, locale, json, submitted.error) ?? Exit.failed;
    if (interrupted) cancel();
    const tracked = [...jobs.values()];
    const outcome = await Promise.race([Promise.all(tracked.map((t) => t.done)), quitNow]);
    for (const t of tracked) t.view.done();
    if (typeof outcome === 'number') return outcome;
    if (!list) {
      const [job] = outcome;
      if (job) return report(io, locale, json, job, files.get(job.id) ?? []);
    }
    return reportAll(
      io,
      locale,
      json,
      outcome.map((job) => ({ job, files: files.get(job.id) ?? [] })),
    );
  } finally {
    clearTimeout(leaveAnyway);
    stopListening();
  }
}

/** Progress of several jobs on one stderr: a bar redrawn in place is ended before any other line. */
function oneBarAtATime(io: CliIo): CliIo {
  let open = false;
  return {
    ...io,
    err(text) {
      if (open) io.errRaw('\n');
      open = false;
      io.err(text);
    },
    errRaw(text) {
      if (text === '\n') {
        if (open) io.errRaw(text);
        open = false;
        return;
      }
      io.errRaw(text);
      open = !text.endsWith('\n');
    },
  };
}

/** Every line (and redrawn bar) of one job's view starts with `prefix`, e.g. `[2/4] `. */
function prefixed(io: CliIo, prefix: string): CliIo {
  if (!prefix) return io;
  return {
    ...io,
    err: (text) => io.err(prefix + text),
    errRaw: (text) => io.errRaw(text.startsWith('\r') ? `\r${prefix}${text.slice(1)}` : text),
  };
}
