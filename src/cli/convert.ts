import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ObjectInfo } from '../workflows/object-info.ts';
import { readWorkflow } from '../workflows/read-workflow.ts';
import { parseCommandArgs } from './args.ts';
import './catalog-convert.ts';
import { readJson } from './inspect.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, translate } from './messages.ts';

/**
 * `comfyrelay workflows convert <ui.json> (--object-info FILE | --backend URL) [-o api.json]`: a workflow
 * saved in the editor's format, written once in the API format, so that the server loads it as a
 * template without asking a ComfyUI for its `/object_info` at every start.
 */
export async function runConvert(args: readonly string[], io: CliIo): Promise<number> {
  const options = {
    'object-info': { type: 'string' },
    backend: { type: 'string' },
    out: { type: 'string', short: 'o' },
  } as const;
  const parsed = parseCommandArgs(args, options, 1);
  if (!parsed.ok) return printArgsError(io, parsed.error, 'workflows convert');
  const { values, positionals } = parsed.value;
  const tr = translate(io.locale());
  if (values['help']) {
    io.out(tr('cli.convert.usage'));
    return Exit.ok;
  }
  const file = positionals[0];
  const infoFile = values['object-info'] as string | undefined;
  const backend = values['backend'] as string | undefined;
  if (!file || (infoFile === undefined) === (backend === undefined)) {
    io.err(tr('cli.convert.usage'));
    return Exit.usage;
  }
  let info: { ok: true; value: unknown } | { ok: false };
  if (infoFile !== undefined) info = await readJson(infoFile, io, tr);
  else {
    const fetched = await fetchObjectInfo(String(backend));
    if (!fetched.ok) io.err(tr('cli.convert.backend', { url: String(backend), reason: fetched.reason }));
    info = fetched;
  }
  if (!info.ok) return Exit.failed;
  const json = await readJson(file, io, tr);
  if (!json.ok) return Exit.failed;
  const read = readWorkflow(json.value, info.value as ObjectInfo);
  if (!read.ok) {
    for (const p of read.error) io.err(tr('cli.inspect.invalid', { file, path: p.path, reason: p.reason }));
    return Exit.failed;
  }
  for (const w of read.value.warnings) io.err(`  ! ${w}`);
  const text = `${JSON.stringify(read.value.graph, null, 2)}\n`;
  const out = values['out'] as string | undefined;
  if (out === undefined || out === '-') {
    io.out(text.trimEnd());
    return Exit.ok;
  }
  await writeFile(resolve(io.cwd, out), text);
  io.err(
    tr(read.value.format === 'ui' ? 'cli.convert.written' : 'cli.convert.already_api', {
      file: out,
      nodes: Object.keys(read.value.graph).length,
    }),
  );
  return Exit.ok;
}

async function fetchObjectInfo(
  url: string,
): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  try {
    const res = await fetch(new URL('/object_info', url), { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return { ok: false, reason: `HTTP ${res.status}` };
    return { ok: true, value: await res.json() };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
