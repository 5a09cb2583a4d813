import { mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import type { Locale, UserMessage } from '#shared/i18n.ts';
import { createLogger } from '../core/logger.ts';
import { openRelay, type RelayPorts } from '../core/ports/index.ts';
import { type GivenImage, planImagine } from '../core/prompt/index.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { withRunApiKeys } from './api-keys.ts';
import { loadCliConfig } from './config.ts';
import { withinDeadline } from './deadline.ts';
import { imagineRequestOf, parseImagineArgs } from './imagine-args.ts';
import { runJobs } from './imagine-jobs.ts';
import { failOut } from './imagine-result.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, translate, userText } from './messages.ts';

/**
 * `comfyrelay imagine "<prompt --flags>"`: the same `/imagine` pipeline and engine as the chat front ends,
 * with the operator's unlimited quota; images land in `--out` as `<jobId>_<seed>_<n>.png`. `--image FILE`
 * feeds an image-to-image or upscale template; `--n N` on a template without a batch parameter queues N jobs.
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
  const config = withRunApiKeys(loaded.value, io.env);
  const locale = io.locale(config.locale);
  const failWith = (message: UserMessage, code: number) => failOut(io, locale, a.json, message) ?? code;

  let image: GivenImage | undefined;
  if (a.image !== undefined) {
    const read = await readImageFile(resolve(io.cwd, a.image));
    if (!read.ok)
      return failOut(io, locale, a.json, read.error, imageProblem(locale, a.image, read.error)) ?? Exit.usage;
    image = { bytes: read.value, name: basename(a.image) };
  }
  if (!a.line.trim() && !image) return failWith({ code: 'cli.imagine.no_prompt' }, Exit.usage);
  if (a.backend !== undefined) {
    const url = a.backend.trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url)) {
      return failWith({ code: 'cli.imagine.bad_backend', params: { url: a.backend } }, Exit.usage);
    }
    config.backends = [
      { name: 'cli', kind: 'comfyui', url, weight: 1, tags: [], headers: {}, maxQueued: 1, slots: 1 },
    ];
  }

  const options = { storage: 'memory', unlimitedQuota: true, logger: cliLogger(io) } as const;
  const relay = await openRelay(config, options);
  try {
    const run: Run = {
      line: a.line,
      outDir: resolve(io.cwd, a.out ?? 'out'),
      json: a.json,
      image,
      imageFile: a.image,
      workflowsDir: config.workflowsDir,
      progressIntervalMs: config.progress.intervalMs,
    };
    return await imagine(relay.ports, run, locale, io);
  } finally {
    await withinDeadline(
      relay.close(2000).catch(() => {}),
      3000,
    );
  }
}

interface Run {
  line: string;
  outDir: string;
  json: boolean;
  image?: GivenImage;
  /** `--image` as given, for messages. */
  imageFile?: string;
  /** Where templates are read from, named when there is none. */
  workflowsDir: string;
  /** Progress lines when stderr is not a terminal, at the configured pace. */
  progressIntervalMs: number;
}

async function imagine(ports: RelayPorts, run: Run, locale: Locale, io: CliIo) {
  const { json } = run;
  const fail = (message: UserMessage, code: number, text?: string) =>
    failOut(io, locale, json, message, text) ?? code;
  const requester = { platform: 'cli' as const, userId: operatorName(), locale };
  const plan = await planImagine(ports.templates.imagine, imagineRequestOf(run.line, run.image, requester));
  if (!plan.ok) {
    const refusal = inCliWords(plan.error, run.workflowsDir);
    const file = run.imageFile;
    const text =
      file && refusal.code.startsWith('chat.image.') ? imageProblem(locale, file, refusal) : undefined;
    return fail(refusal, Exit.usage, text);
  }
  const backends = ports.backends.list();
  const unreachable = backends.filter((b) => !b.healthy);
  if (unreachable.length === backends.length) {
    const reason = unreachable.map((b) => `${b.name}: ${b.lastError ?? '?'}`).join('; ');
    return fail({ code: 'cli.doctor.unreachable', params: { reason } }, Exit.failed);
  }

  try {
    await mkdir(run.outDir, { recursive: true });
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    return fail({ code: 'cli.imagine.write_failed', params: { dir: run.outDir, reason } }, Exit.failed);
  }
  const jobsPlan = { plan: plan.value, json, outDir: run.outDir, requester };
  return runJobs({ jobs: ports.jobs, progressIntervalMs: run.progressIntervalMs }, io, locale, jobsPlan);
}

/** The pipeline's refusals that the command line words its own way (its options, its folders). */
function inCliWords(message: UserMessage, workflowsDir: string): UserMessage {
  switch (message.code) {
    case 'grammar.prompt.empty':
      return { code: 'cli.imagine.no_prompt' };
    case 'prompt.noTemplates':
      return { code: 'cli.imagine.no_templates', params: { dir: workflowsDir } };
    case 'prompt.image.unused':
      return { code: 'cli.imagine.image_unused', params: message.params };
    default:
      return message;
  }
}

/** Reads `--image`; whether it is an image ComfyUI can take is the pipeline's to check. */
async function readImageFile(path: string): Promise<Result<Uint8Array, UserMessage>> {
  try {
    return ok(await readFile(path));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    return err({ code: 'cli.imagine.image_unreadable', params: { reason } });
  }
}

/** The check's message in command-line words, naming the file. */
function imageProblem(locale: Locale, file: string, message: UserMessage): string {
  const tr = translate(locale);
  if (message.code === 'chat.image.notAnImage') return tr('cli.imagine.not_an_image', { file });
  if (message.code === 'cli.imagine.image_unreadable') return tr(message.code, { file, ...message.params });
  return tr('cli.imagine.bad_image', { file, reason: userText(locale, message) });
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
  return createLogger({ level: io.env['COMFYRELAY_LOG_LEVEL'] || 'silent', destination: io.stderr });
}
