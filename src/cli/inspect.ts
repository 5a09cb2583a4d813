import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
// Straight from the modules, not `workflows/index.ts`: inspecting needs neither manifests (yaml) nor schemas.
import type { PassSummary } from '../workflows/discover.ts';
import { inspectParsed } from '../workflows/inspect.ts';
import { parseJson } from '../workflows/json-path.ts';
import { findModelSlots } from '../workflows/model-slots.ts';
import type { ObjectInfo } from '../workflows/object-info.ts';
import type { ModelSlot } from '../workflows/types.ts';
import { parseCommandArgs } from './args.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, type Translate, translate } from './messages.ts';
import { renderTable } from './table.ts';

/** `comfyrelay workflows inspect <file.json> [--object-info FILE] [--json]`: where each parameter binds, and why. */
export async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const options = { json: { type: 'boolean' }, 'object-info': { type: 'string' } } as const;
  const parsed = parseCommandArgs(args, options, 1);
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

  const infoFile = values['object-info'] as string | undefined;
  const info = infoFile === undefined ? undefined : await readJson(infoFile, io, tr);
  if (info && !info.ok) return Exit.failed;
  const json = await readJson(file, io, tr);
  if (!json.ok) return Exit.failed;
  const inspected = inspectParsed(json.value, info?.value as ObjectInfo | undefined);
  if (!inspected.ok) {
    for (const p of inspected.error)
      io.err(tr('cli.inspect.invalid', { file, path: p.path, reason: p.reason }));
    return Exit.failed;
  }
  const { graph, report, explained } = inspected.value;
  if (values['json']) {
    io.out(JSON.stringify(report, null, 2));
    return Exit.ok;
  }
  const rows = Object.entries(report.parameters).map(([name, refs]) => {
    if (refs.length === 0) return [name, '—', tr('cli.inspect.not_found')];
    const via = explained[name] ?? [];
    return [name, refs.map((r) => `#${r.node}.${r.input}`).join(', '), via.join('; ')];
  });
  io.out(tr('cli.inspect.title', { file }));
  io.out(renderTable([tr('cli.col.parameter'), tr('cli.col.bound_to'), tr('cli.col.links')], rows));
  io.out('');
  for (const pass of report.passes.filter((p) => p.keeps.length > 0)) io.out(passLine(pass, tr));
  // The family is the operator's to set in a manifest; a bare file only shows where its models load.
  for (const slot of findModelSlots(graph, 'other', report.parameters['checkpoint'] ?? []))
    io.out(slotLine(slot, tr));
  const outputs = report.outputs.map((id) => `#${id} ${graph[id]?.class_type ?? ''}`.trim());
  io.out(tr('cli.inspect.outputs', { outputs: outputs.join(', ') || tr('cli.inspect.none') }));
  const missing = rows.filter((r) => r[1] === '—').map((r) => r[0]);
  if (missing.length > 0) io.out(tr('cli.inspect.missing', { names: missing.join(', ') }));
  for (const w of report.warnings) io.out(`  ! ${w}`);
  return Exit.ok;
}

function passLine(pass: PassSummary, tr: Translate): string {
  const after =
    pass.continues !== undefined
      ? tr('cli.inspect.pass_continues', { node: pass.continues })
      : pass.after !== undefined
        ? tr('cli.inspect.pass_after', { node: pass.after })
        : '';
  return tr('cli.inspect.pass', {
    node: pass.node,
    class: pass.class_type,
    after,
    keeps: pass.keeps.join(', '),
  });
}

function slotLine(slot: ModelSlot, tr: Translate): string {
  const { name, node, loader, input } = slot;
  return tr('cli.inspect.slot', { name, node, loader, input, file: slot.default });
}

export async function readJson(
  file: string,
  io: CliIo,
  tr: Translate,
): Promise<{ ok: true; value: unknown } | { ok: false }> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    io.err(tr('cli.inspect.unreadable', { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }));
    return { ok: false };
  }
  const json = parseJson(text);
  if (!json.ok) io.err(tr('cli.inspect.invalid', { file, path: json.path, reason: json.reason }));
  return json.ok ? json : { ok: false };
}
