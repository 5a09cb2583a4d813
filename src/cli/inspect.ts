import { readFile } from 'node:fs/promises';
import { toApiWorkflow } from '../workflows/api-format.ts';
import { explainWorkflow, inspectWorkflow } from '../workflows/index.ts';
import { parseJson } from '../workflows/json-path.ts';
import { parseCommandArgs } from './args.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, translate } from './messages.ts';
import { renderTable } from './table.ts';

/** `comfyrelay workflows inspect <file.json> [--json]`: where each parameter binds, and why. */
export async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' } }, 1);
  const locale = io.locale();
  if (!parsed.ok) return printArgsError(io, parsed.error, 'workflows inspect');
  const { values, positionals } = parsed.value;
  const tr = translate(locale);
  if (values['help']) {
    io.out(tr('cli.help.inspect'));
    return Exit.ok;
  }
  const file = positionals[0];
  if (!file) return printArgsError(io, { code: 'cli.inspect.no_file', params: {} }, 'workflows inspect');

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(tr('cli.inspect.unreadable', { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }));
    return Exit.failed;
  }
  const json = parseJson(text);
  const graph = json.ok ? toApiWorkflow(json.value) : undefined;
  if (!json.ok || !graph?.ok) {
    const problems = !json.ok ? [json] : graph && !graph.ok ? graph.error : [];
    for (const p of problems) io.err(tr('cli.inspect.invalid', { file, path: p.path, reason: p.reason }));
    return Exit.failed;
  }

  const report = inspectWorkflow(graph.value);
  if (values['json']) {
    io.out(JSON.stringify(report, null, 2));
    return Exit.ok;
  }
  const walked = explainWorkflow(graph.value);
  const rows = Object.entries(report.parameters).map(([name, refs]) => {
    if (refs.length === 0) return [name, '—', tr('cli.inspect.not_found')];
    const via = walked[name] ?? [];
    return [name, refs.map((r) => `#${r.node}.${r.input}`).join(', '), via.join('; ')];
  });
  io.out(tr('cli.inspect.title', { file }));
  io.out(renderTable([tr('cli.col.parameter'), tr('cli.col.bound_to'), tr('cli.col.links')], rows));
  io.out('');
  const outputs = report.outputs.map((id) => `#${id} ${graph.value[id]?.class_type ?? ''}`.trim());
  io.out(tr('cli.inspect.outputs', { outputs: outputs.join(', ') || tr('cli.inspect.none') }));
  const missing = rows.filter((r) => r[1] === '—').map((r) => r[0]);
  if (missing.length > 0) io.out(tr('cli.inspect.missing', { names: missing.join(', ') }));
  for (const w of report.warnings) io.out(`  ! ${w}`);
  return Exit.ok;
}
