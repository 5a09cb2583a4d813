import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { parsePrompt, resolveOptions, toGrammarTemplate } from '../../commands/grammar/index.ts';
import { type App, createApp } from '../app.ts';
import { pickDefaultTemplate } from '../core/jobs/default-template.ts';
import { requestFrom } from '../core/jobs/request-from.ts';
import type { Locale, UserMessage } from '../core/i18n/i18n.ts';
import { createLogger } from '../core/logger.ts';
import type { JobRecord, JobUpdate, Requester } from '../core/jobs/types.ts';
import { isTerminal } from '../core/jobs/types.ts';
import { loadCliConfig } from './config.ts';
import { parseImagineArgs } from './imagine-args.ts';
import { createProgressView } from './imagine-view.ts';
import { type CliIo, Exit } from './io.ts';
import { failOut, report } from './imagine-result.ts';
import { printArgsError, translate } from './messages.ts';
import { saveResultFiles } from './save-files.ts';

/** How long Ctrl-C waits for ComfyUI to confirm the cancel before leaving anyway. */
const CANCEL_WAIT_MS = 15_000;

/**
 * `comfyrelay imagine "<prompt --flags>"`: the same grammar and engine as /imagine, with the operator's
 * unlimited quota; images land in `--out` as `<jobId>_<seed>_<n>.png`.
 */
export async function runImagine(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseImagineArgs(args);
  if (!parsed.ok) return printArgsError(io, parsed.error, 'imagine');
  const a = parsed.value;
  if (a.help) {
    io.out(translate(io.locale())('cli.help.imagine'));
    return Exit.ok;
  }
  const loaded = loadCliConfig(io, a.config);
  if (!loaded.ok) {
    failOut(io, io.locale(), a.json, { code: 'config.invalid' }, loaded.error);
    return Exit.usage;
  }
  const config = loaded.value;
  const locale = io.locale(config.locale);
  const failWith = (message: UserMessage, code: number) => failOut(io, locale, a.json, message) ?? code;

  if (!a.line.trim()) return failWith({ code: 'cli.imagine.no_prompt' }, Exit.usage);
  if (a.backend !== undefined) {
    const url = a.backend.trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url)) {
      return failWith({ code: 'cli.imagine.bad_backend', params: { url: a.backend } }, Exit.usage);
    }
    config.backends = [{ name: 'cli', url, weight: 1, tags: [], headers: {}, maxQueued: 1 }];
  }

  const options = { storage: 'memory', unlimitedQuota: true, logger: cliLogger(io) } as const;
  const app = await createApp(config, options);
  try {
    return await imagine(app, a.line, a.out ?? 'out', a.json, locale, io);
  } finally {
    await Promise.race([app.close(2000).catch(() => {}), new Promise((r) => setTimeout(r, 3000).unref())]);
  }
}

async function imagine(app: App, line: string, outDir: string, json: boolean, locale: Locale, io: CliIo) {
  const fail = (message: UserMessage, code: number) => failOut(io, locale, json, message) ?? code;
  const templates = [...app.templates.values()];
  const first = pickDefaultTemplate(templates, app.pool);
  if (!first) return fail({ code: 'cli.imagine.no_templates', params: { dir: app.config.workflowsDir } }, 1);
  const resolved = resolveOptions(parsePrompt(line), {
    templates: templates.map((t) => toGrammarTemplate(t)),
    defaultTemplate: first.name,
    locale,
  });
  if (!resolved.ok) return fail(resolved.error, Exit.usage);
  const unreachable = app.pool.backends.filter((b) => !b.healthy);
  if (unreachable.length === app.pool.backends.length) {
    const reason = unreachable.map((b) => `${b.name}: ${b.lastError ?? '?'}`).join('; ');
    return fail({ code: 'cli.doctor.unreachable', params: { reason } }, Exit.failed);
  }

  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    return fail({ code: 'cli.imagine.write_failed', params: { dir: outDir, reason } }, Exit.failed);
  }
  const view = createProgressView(
    json ? { ...io, err: () => {}, errRaw: () => {} } : io,
    locale,
    resolved.value.template,
  );
  const requester: Requester = { platform: 'cli', userId: operatorName(), locale };
  let files: string[] = [];
  let finished: (job: JobRecord) => void = () => {};
  const terminal = new Promise<JobRecord>((r) => {
    finished = r;
  });
  let jobId: string | undefined;
  app.engine.registerFrontEnd({
    platform: 'cli',
    updateIntervalMs: () => (io.isTTY ? 250 : app.config.progress.intervalMs),
    update(u: JobUpdate) {
      if (u.job.id !== jobId) return;
      if (isTerminal(u.job.state)) finished(u.job);
      else view.update(u);
    },
    async deliver(job, result) {
      files = await saveResultFiles(outDir, job, result.files);
    },
  });

  let interrupted = false;
  let quit: (code: number) => void = () => {};
  const quitNow = new Promise<number>((r) => {
    quit = r;
  });
  const cancel = () => {
    if (!jobId) return; // not submitted yet: canceled as soon as it is
    view.done();
    if (!json) io.err(translate(locale)('cli.imagine.canceling'));
    void app.engine.cancel(jobId, requester);
    setTimeout(() => quit(Exit.interrupted), CANCEL_WAIT_MS).unref();
  };
  const stopListening = io.onInterrupt(() => {
    if (interrupted) return quit(Exit.interrupted);
    interrupted = true;
    cancel();
  });
  try {
    const r = resolved.value;
    const submitted = await app.engine.submit({
      requester,
      request: requestFrom(r),
      delivery: { platform: 'cli' },
    });
    if (!submitted.ok) return fail(submitted.error, Exit.failed);
    jobId = submitted.value.id;
    if (interrupted) cancel();
    const place = app.engine.position(jobId);
    view.queued(jobId, place?.position, place?.etaMs);
    const outcome = await Promise.race([terminal, quitNow]);
    view.done();
    if (typeof outcome === 'number') return outcome;
    return report(io, locale, json, outcome, files);
  } finally {
    stopListening();
  }
}

function operatorName(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

/** Engine logs would drown the progress bar: quiet unless COMFYRELAY_LOG_LEVEL asks, and then on stderr. */
function cliLogger(io: CliIo) {
  return createLogger({ level: io.env['COMFYRELAY_LOG_LEVEL'] || 'silent', destination: process.stderr });
}
