import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config/index.ts';
import { withInstalledModels } from '../core/prompt/model-binding.ts';
import {
  checkWorkflow,
  type LoadedTemplates,
  loadTemplates,
  WorkflowCodes,
  type WorkflowProblem,
  type WorkflowTemplate,
} from '../workflows/index.ts';
import type { ModelMapping } from '../workflows/model-mapping.ts';
import { parseCommandArgs } from './args.ts';
import { loadCliConfig } from './config.ts';
import { cloudProblems, printCloud } from './doctor-cloud.ts';
import { fixFor, fixModels, terminalAsk } from './doctor-fix.ts';
import { type BackendReport, formatBytes, probeBackend } from './doctor-probe.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, type Translate, translate } from './messages.ts';
import { renderTable } from './table.ts';
import { printLoadErrors } from './workflows.ts';

interface TemplateReport {
  name: string;
  file: string;
  /** Backend name → problems found there (reachable backends only). */
  backends: Record<string, { message: string; node: string; input?: string; fix?: string; model?: true }[]>;
  runnableOn: string[];
  /** Notes of slots run with another installed file of their family, per backend. */
  substituted: string[];
}

const OPTIONS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  fix: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
} as const;

/**
 * `comfyrelay doctor`: can every configured backend be reached, and can every template run somewhere,
 * with the models the configuration maps? `--fix` proposes installed files for missing models and writes
 * the answers to the configuration file (`--yes`: take every proposal).
 */
export async function runDoctor(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS, 0);
  if (!parsed.ok) return printArgsError(io, parsed.error, 'doctor');
  const { values } = parsed.value;
  if (values['help']) {
    io.out(translate(io.locale())('cli.help.doctor'));
    return Exit.ok;
  }
  const config = loadCliConfig(io, values['config'] as string | undefined);
  if (!config.ok) {
    io.err(config.error);
    return Exit.usage;
  }
  const tr = translate(io.locale(config.value.locale));

  const [backends, loaded] = await Promise.all([
    Promise.all(config.value.backends.map((b) => probeBackend(b, undefined, io.env))),
    loadTemplates(config.value.workflowsDir).catch(
      (e): LoadedTemplates => ({
        templates: [],
        errors: [{ file: config.value.workflowsDir, path: '$', reason: (e as Error).message }],
      }),
    ),
  ]);
  const views = backends.map((b) => ({ name: b.name, healthy: b.reachable, objectInfo: b.objectInfo }));
  let mapping: ModelMapping | undefined = config.value.models;
  let fixFailed = false;
  if (values['fix']) {
    const file = resolve(
      io.cwd,
      (values['config'] as string | undefined) ?? (io.env['COMFYRELAY_CONFIG'] || DEFAULT_CONFIG_FILE),
    );
    const say = values['json'] ? io.err : io.out;
    const ask = values['json'] ? undefined : terminalAsk(io);
    const options = {
      templates: loaded.templates,
      backends: views,
      mapping,
      file,
      yes: Boolean(values['yes']),
    };
    const fixed = await fixModels(say, tr, { ...options, ...(ask ? { ask } : {}) });
    mapping = fixed.mapping;
    fixFailed = fixed.failed;
    say('');
  }
  const templates: TemplateReport[] = loaded.templates.map((template) => {
    const report: TemplateReport = {
      name: template.name,
      file: template.file,
      backends: {},
      runnableOn: [],
      substituted: [],
    };
    for (const [i, b] of backends.entries()) {
      if (!b.objectInfo) {
        // A v2 service that lists no catalogue: judged by its declared capabilities, if any.
        const cfg = config.value.backends[i]!;
        if (cfg.kind !== 'comfy-api-v2' || !b.reachable) continue;
        const problems = cloudProblems(template.graph, cfg).map((p) => ({
          message: tr(p.code, p.params),
          node: String(p.params['node'] ?? ''),
        }));
        report.backends[b.name] = problems;
        if (problems.length === 0) report.runnableOn.push(b.name);
        continue;
      }
      const t = withInstalledModels(template, { backends: [views[i]!], mapping }, (s) =>
        report.substituted.push(tr('cli.doctor.models.substituted', { ...s, backend: b.name })),
      );
      const problems = checkWorkflow(t.graph, b.objectInfo).map((p) => ({
        message: tr(p.code, p.params),
        node: p.node,
        ...(p.input ? { input: p.input } : {}),
        ...optional('fix', fixFor(p, t.graph, tr)),
        ...optional('model', isModelProblem(t, p) || undefined),
      }));
      report.backends[b.name] = problems;
      if (problems.length === 0) report.runnableOn.push(b.name);
    }
    return report;
  });
  const healthy =
    !fixFailed &&
    backends.every((b) => b.reachable) &&
    templates.every((t) => t.runnableOn.length > 0) &&
    loaded.errors.length === 0;

  if (values['json']) {
    const shown = backends.map(({ objectInfo: _, ...b }) => b);
    io.out(
      JSON.stringify({ ok: healthy, backends: shown, templates, templateErrors: loaded.errors }, null, 2),
    );
    return healthy ? Exit.ok : Exit.failed;
  }
  printBackends(io, tr, backends);
  await printCloud(io, tr, config.value, backends);
  io.out('');
  printTemplates(io, tr, templates, backends);
  printLoadErrors(io, tr, loaded.errors);
  io.out('');
  io.out(tr(healthy ? 'cli.doctor.all_ok' : 'cli.doctor.broken'));
  return healthy ? Exit.ok : Exit.failed;
}

function printBackends(io: CliIo, tr: Translate, backends: BackendReport[]): void {
  io.out(tr('cli.doctor.backends'));
  const rows = backends.map((b) => [
    b.name,
    b.url,
    b.reachable ? tr('cli.doctor.reachable') : tr('cli.doctor.unreachable', { reason: b.error ?? '?' }),
    b.version ?? '',
    b.devices
      .map((d) =>
        tr('cli.doctor.device', {
          name: d.name,
          total: formatBytes(d.vramTotal),
          free: formatBytes(d.vramFree),
        }),
      )
      .join('; '),
  ]);
  const header = ['cli.col.backend', 'cli.col.url', 'cli.col.status', 'cli.col.version', 'cli.col.devices'];
  io.out(
    renderTable(
      header.map((c) => tr(c)),
      rows,
    ),
  );
}

function printTemplates(
  io: CliIo,
  tr: Translate,
  templates: TemplateReport[],
  backends: BackendReport[],
): void {
  io.out(tr('cli.doctor.templates'));
  const rows = templates.map((t) => [
    t.name,
    ...backends.map((b) => {
      const problems = t.backends[b.name];
      if (!problems) return '—';
      return problems.length === 0
        ? tr('cli.doctor.ok')
        : tr('cli.doctor.problems', { count: problems.length });
    }),
  ]);
  io.out(renderTable([tr('cli.col.template'), ...backends.map((b) => b.name)], rows));
  for (const note of templates.flatMap((t) => t.substituted)) io.out(`  ℹ ${note}`);
  const modelMissing = templates.some((t) =>
    Object.values(t.backends).some((problems) => problems.some((p) => p.model)),
  );
  for (const t of templates) {
    for (const [backend, problems] of Object.entries(t.backends)) {
      if (problems.length === 0) continue;
      io.out('');
      io.out(tr('cli.doctor.template_on', { template: t.name, backend, file: t.file }));
      for (const p of problems) {
        io.out(`  • ${p.message}`);
        if (p.fix) io.out(`    → ${p.fix}`);
      }
    }
    if (t.runnableOn.length === 0 && Object.keys(t.backends).length > 0) {
      io.out(tr('cli.doctor.runs_nowhere', { template: t.name }));
    }
  }
  if (modelMissing) io.out(`\n${tr('cli.doctor.models.hint')}`);
}

/** A missing file in one of the template's model slots, with others installed: `doctor --fix` can map one. */
function isModelProblem(t: WorkflowTemplate, p: WorkflowProblem): boolean {
  return (
    p.code === WorkflowCodes.badChoice &&
    (t.slots ?? []).some((s) => s.node === p.node && s.input === p.input)
  );
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);
