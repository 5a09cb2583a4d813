import { mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { MAX_SEED, parsePrompt, resolveOptions, toGrammarTemplate } from '../core/prompt/grammar/index.ts';
import { type App, createApp } from '../core/app.ts';
import { checkInputImage } from '../core/chat/input-image.ts';
import type { Locale, UserMessage } from '../shared/i18n.ts';
import { pickDefaultTemplate, pickImageTemplate } from '../core/jobs/default-template.ts';
import { requestFrom } from '../core/jobs/request-from.ts';
import type { JobRequest } from '../core/jobs/types.ts';
import { createLogger } from '../core/logger.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { loadCliConfig } from './config.ts';
import { parseImagineArgs } from './imagine-args.ts';
import { type InputImage, runJobs } from './imagine-jobs.ts';
import { failOut } from './imagine-result.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, translate, userText } from './messages.ts';

/**
 * `comfyrelay imagine "<prompt --flags>"`: the same grammar and engine as /imagine, with the operator's
 * unlimited quota; images land in `--out` as `<jobId>_<seed>_<n>.png`. `--image FILE` feeds an
 * image-to-image or upscale template; `--n N` on a template without a batch parameter queues N jobs.
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

  let image: Plan['image'];
  if (a.image !== undefined) {
    const read = await readInputImage(resolve(io.cwd, a.image));
    if (!read.ok)
      return failOut(io, locale, a.json, read.error, imageProblem(locale, a.image, read.error)) ?? Exit.usage;
    image = { ...read.value, name: basename(a.image) };
  }
  if (!a.line.trim() && !image) return failWith({ code: 'cli.imagine.no_prompt' }, Exit.usage);
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
    return await imagine(app, { line: a.line, outDir: a.out ?? 'out', json: a.json, image }, locale, io);
  } finally {
    await Promise.race([app.close(2000).catch(() => {}), new Promise((r) => setTimeout(r, 3000).unref())]);
  }
}

interface Plan {
  line: string;
  outDir: string;
  json: boolean;
  /** `--image`: checked bytes, and the file's name (the prompt of a template that takes none). */
  image?: InputImage & { name: string };
}

async function imagine(app: App, plan: Plan, locale: Locale, io: CliIo) {
  const { json, image } = plan;
  const fail = (message: UserMessage, code: number) => failOut(io, locale, json, message) ?? code;
  const templates = [...app.templates.values()];
  const first =
    (image ? pickImageTemplate(templates, app.pool) : undefined) ?? pickDefaultTemplate(templates, app.pool);
  if (!first) return fail({ code: 'cli.imagine.no_templates', params: { dir: app.config.workflowsDir } }, 1);
  const resolved = resolveLine(app, plan, first.name, locale);
  if (!resolved.ok) return fail(resolved.error, Exit.usage);
  const r = resolved.value;
  const template = app.templates.get(r.template);
  if (template?.params.image && !image) {
    return fail({ code: 'jobs.needsImage', params: { template: r.template } }, Exit.usage);
  }
  if (image && !template?.params.image) {
    return fail({ code: 'cli.imagine.image_unused', params: { template: r.template } }, Exit.usage);
  }
  const unreachable = app.pool.backends.filter((b) => !b.healthy);
  if (unreachable.length === app.pool.backends.length) {
    const reason = unreachable.map((b) => `${b.name}: ${b.lastError ?? '?'}`).join('; ');
    return fail({ code: 'cli.doctor.unreachable', params: { reason } }, Exit.failed);
  }

  try {
    await mkdir(plan.outDir, { recursive: true });
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    return fail({ code: 'cli.imagine.write_failed', params: { dir: plan.outDir, reason } }, Exit.failed);
  }
  const maxSeed = Math.min(template?.params.seed?.max ?? MAX_SEED, MAX_SEED);
  const requests = Array.from({ length: r.repeat ?? 1 }, (_, i) =>
    withSeed(requestFrom(r), r.seed === undefined ? undefined : nextSeed(r.seed, i, maxSeed)),
  );
  return runJobs(app, io, locale, {
    requests,
    list: r.repeat !== undefined,
    json,
    outDir: plan.outDir,
    inputImage: image ? { bytes: image.bytes, mime: image.mime } : undefined,
    requester: { platform: 'cli', userId: operatorName(), locale },
  });
}

/**
 * The grammar on the prompt line. With `--image` and no prompt, the file's name stands in for one, as
 * long as the chosen template has no prompt parameter (an upscale); otherwise a prompt is asked for.
 */
function resolveLine(app: App, plan: Plan, defaultTemplate: string, locale: Locale) {
  const ctx = {
    templates: [...app.templates.values()].map((t) => toGrammarTemplate(t)),
    defaultTemplate,
    locale,
  };
  const parsed = parsePrompt(plan.line);
  if (!plan.image || parsed.prompt.trim()) return resolveOptions(parsed, ctx);
  const resolved = resolveOptions({ ...parsed, prompt: plan.image.name }, ctx);
  if (resolved.ok && app.templates.get(resolved.value.template)?.params.prompt) {
    return err({ code: 'cli.imagine.no_prompt' });
  }
  return resolved;
}

/** `seed + i`, wrapping past the largest seed the template accepts (exact even near 2^53). */
function nextSeed(seed: number, i: number, max: number): number {
  return i <= max - seed ? seed + i : i - (max - seed) - 1;
}

/** The request with another explicit seed, also where the grammar wrote it into the values. */
function withSeed(request: JobRequest, seed: number | undefined): JobRequest {
  if (seed === undefined || seed === request.seed) return request;
  const values = { ...request.values };
  for (const [k, v] of Object.entries(values)) if (v === request.seed && /seed/i.test(k)) values[k] = seed;
  return { ...request, values, seed };
}

/** Reads `--image` and checks it is an image ComfyUI can take (by its bytes, size and dimensions). */
async function readInputImage(path: string): Promise<Result<InputImage, UserMessage>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    return err({ code: 'cli.imagine.image_unreadable', params: { reason } });
  }
  const checked = await checkInputImage(bytes);
  if (!checked.ok) return checked;
  return ok({ bytes, mime: checked.value.mime });
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
  return createLogger({ level: io.env['COMFYRELAY_LOG_LEVEL'] || 'silent', destination: process.stderr });
}
