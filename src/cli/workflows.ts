import { describeFlags, type FlagHelp } from '../core/prompt/grammar/index.ts';
import type { Locale } from '#shared/i18n.ts';
import { loadTemplates } from '../workflows/loader.ts';
import type { LoadError } from '../workflows/load-error.ts';
import type { WorkflowTemplate } from '../workflows/types.ts';
import { parseCommandArgs } from './args.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, type Translate, translate } from './messages.ts';
import { renderTable } from './table.ts';
import { workflowsSettings } from './workflows-settings.ts';

/** `comfyrelay workflows [--json]`, and `comfyrelay workflows inspect <file>`. */
export async function runWorkflows(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] === 'inspect') return (await import('./inspect.ts')).runInspect(args.slice(1), io);
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' }, config: { type: 'string' } }, 0);
  if (!parsed.ok) return printArgsError(io, parsed.error, 'workflows');
  const { values } = parsed.value;
  if (values['help']) {
    io.out(translate(io.locale())('cli.help.workflows'));
    return Exit.ok;
  }
  const config = await workflowsSettings(io, values['config'] as string | undefined);
  if (!config.ok) {
    io.err(config.error);
    return Exit.usage;
  }
  const locale = io.locale(config.value.locale);
  const tr = translate(locale);
  let loaded: Awaited<ReturnType<typeof loadTemplates>>;
  try {
    loaded = await loadTemplates(config.value.workflowsDir);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    io.err(tr('cli.workflows.dir_unreadable', { dir: config.value.workflowsDir, reason }));
    return Exit.failed;
  }
  const names = loaded.templates.map((t) => t.name);
  const described = loaded.templates.map((t) => ({ t, flags: flagsOf(t, locale, names) }));

  if (values['json']) {
    const templates = described.map(({ t, flags }) => ({
      name: t.name,
      description: text(t, locale),
      tags: t.tags,
      family: t.family,
      flags,
    }));
    io.out(JSON.stringify({ templates, errors: loaded.errors }, null, 2));
    return loaded.errors.length > 0 ? Exit.failed : Exit.ok;
  }
  if (described.length === 0) io.out(tr('cli.workflows.none', { dir: config.value.workflowsDir }));
  for (const { t, flags } of described) {
    io.out(`${t.name}  [${[t.family, ...t.tags].join(', ')}]`);
    io.out(`  ${text(t, locale)}`);
    io.out(indent(flagTable(flags, tr)));
    io.out('');
  }
  printLoadErrors(io, tr, loaded.errors);
  return loaded.errors.length > 0 ? Exit.failed : Exit.ok;
}

type Flag = FlagHelp & { default?: string | number | boolean };

function flagsOf(t: WorkflowTemplate, locale: Locale, templates: string[]): Flag[] {
  return describeFlags(Object.values(t.params), locale, { templates }).map((f) => {
    const first = f.params.length === 1 && f.params[0] ? t.params[f.params[0]] : undefined;
    return first?.default !== undefined ? { ...f, default: first.default } : f;
  });
}

function flagTable(flags: Flag[], tr: Translate): string {
  const rows = flags.map((f) => [
    [f.flag, ...f.aliases].join(', '),
    accepts(f),
    f.default === undefined ? '' : String(f.default),
    f.description,
  ]);
  const header = [
    tr('cli.col.flag'),
    tr('cli.col.accepts'),
    tr('cli.col.default'),
    tr('cli.col.description'),
  ];
  return renderTable(header, rows);
}

function accepts(f: Flag): string {
  if (f.choices?.length) return shorten(f.choices.join(' | '), 48);
  if (f.min !== undefined || f.max !== undefined) return `${f.kind} ${f.min ?? ''}…${f.max ?? ''}`;
  if (f.examples?.length) return `${f.kind}: ${f.examples.slice(0, 3).join(', ')}…`;
  return f.kind;
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const text = (t: WorkflowTemplate, locale: Locale) =>
  (locale === 'zh' ? t.description.zh : undefined) ?? t.description.en;

const indent = (block: string) =>
  block
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

/** A template file that did not load: where and why, so the operator can fix it. */
export function printLoadErrors(io: CliIo, tr: Translate, errors: readonly LoadError[]): void {
  for (const e of errors)
    io.err(tr('cli.workflows.load_error', { file: e.file, path: e.path, reason: e.reason }));
}
