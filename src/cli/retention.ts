import { existsSync, statSync } from 'node:fs';
import { databaseFile } from '../core/storage/database-file.ts';
import { loadCliConfig } from './config.ts';
import { type JobRecord, needsEngine } from '../core/jobs/types.ts';
import { type RetentionReport, runRetention } from '../core/retention/retention-run.ts';
import { storedFiles } from '../core/retention/stored-files.ts';
import { createStorage } from '../core/storage/create-storage.ts';
import { parseCommandArgs } from './args.ts';
import { withinDeadline } from './deadline.ts';
import './catalog-retention.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, type Translate, translate } from './messages.ts';

const CONNECT_MS = 15_000;

/**
 * `comfyrelay retention run [--dry-run] [--json]`: one retention pass now, on the configured store, as
 * the server runs it every `retention.intervalMinutes` (ages, disk budgets, unreferenced files,
 * compaction). Safe while the server runs: a pass deletes only what no live entry references and
 * nothing written within the last hour, and several passes at once delete nothing twice. Opens the
 * store and the blob directory only, never the engine.
 */
export async function runRetentionCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, config: { type: 'string' } },
    1,
  );
  if (!parsed.ok) return printArgsError(io, parsed.error, 'retention');
  const { values, positionals } = parsed.value;
  const usage = translate(io.locale())('cli.retention.usage');
  if (values['help']) {
    io.out(usage);
    return Exit.ok;
  }
  if (positionals[0] !== 'run') {
    io.err(usage);
    return Exit.usage;
  }
  const loaded = loadCliConfig(io, values['config'] as string | undefined);
  if (!loaded.ok) {
    io.err(loaded.error);
    return Exit.usage;
  }
  const config = loaded.value;
  const tr = translate(io.locale(config.locale));
  const dryRun = values['dry-run'] === true;
  // The file `createApp` opens; a data dir with no database yet has nothing to remove (and a dry run
  // must not create one).
  const database = databaseFile(config.dataDir);
  const redisUrl = config.storage.redisUrl;
  if (!redisUrl && !existsSync(database)) {
    if (values['json']) io.out(JSON.stringify({ store: database, empty: true }));
    else io.out(tr('cli.retention.empty', { path: database }));
    return Exit.ok;
  }
  const where = redisUrl ? redactUrl(redisUrl) : database;
  // The server's Redis client waits out a restart for ever; a command asked now must not hang silently
  // on a wrong URL or password: the first answer must come within CONNECT_MS.
  const opened = createStorage<JobRecord>(
    redisUrl
      ? { redisUrl, isActiveJob: (job) => needsEngine(job) }
      : { sqlitePath: database, isActiveJob: (job) => needsEngine(job) },
  ).then(async (s) => {
    await s.users.get('~retention-probe');
    return s;
  });
  opened.catch(() => {}); // a failure after the deadline is already reported as no answer
  const storage = await withinDeadline(opened, CONNECT_MS).catch((error: unknown) => {
    io.err(tr('cli.retention.failed', { store: where, reason: String(error) }));
    return null;
  });
  if (storage === null) return Exit.failed;
  if (storage === undefined) {
    io.err(tr('cli.retention.unreachable', { store: where, seconds: CONNECT_MS / 1000 }));
    return Exit.failed;
  }
  try {
    const files = storedFiles(config, storage, { memory: false });
    const before = redisUrl ? 0 : fileBytes(database);
    const report = await runRetention({ storage, assets: files.assets, blobs: files.blobs }, files.settings, {
      dryRun,
    });
    const freed = report.bytesFreed + (dryRun ? 0 : Math.max(0, before - report.databaseBytes));
    if (values['json']) {
      io.out(JSON.stringify({ store: where, ...report, databaseBytesBefore: before, freedBytes: freed }));
    } else printReport(io, tr, { where, report, before, freed, sqlite: !redisUrl });
    return Exit.ok;
  } catch (error) {
    io.err(tr('cli.retention.failed', { store: where, reason: String(error) }));
    return Exit.failed;
  } finally {
    await storage.close();
  }
}

function printReport(
  io: CliIo,
  tr: Translate,
  r: { where: string; report: RetentionReport; before: number; freed: number; sqlite: boolean },
): void {
  const { expired } = r.report;
  const dry = r.report.dryRun;
  io.out(tr(dry ? 'cli.retention.title_dry' : 'cli.retention.title', { store: r.where }));
  const rows: [string, number][] = [
    ['cli.retention.audit', expired.audit],
    ['cli.retention.inputs', expired.inputs],
    ['cli.retention.evicted', expired.evicted],
    ['cli.retention.blobs', expired.blobs],
    ['cli.retention.staged', expired.staged],
  ];
  if (!dry) rows.push(['cli.retention.rows', expired.rows]);
  for (const [code, count] of rows) io.out(`  ${tr(code, { count })}`);
  if (r.report.migrated > 0) io.out(`  ${tr('cli.retention.migrated', { count: r.report.migrated })}`);
  if (r.sqlite && !dry)
    io.out(
      `  ${tr('cli.retention.database', { before: size(r.before), after: size(r.report.databaseBytes) })}`,
    );
  io.out(
    tr(dry ? 'cli.retention.total_dry' : 'cli.retention.total', {
      freed: size(r.freed),
      files: r.report.blobCount,
      kept: size(r.report.bytesStored),
    }),
  );
}

function fileBytes(path: string): number {
  const one = (p: string) => statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  return one(path) + one(`${path}-wal`);
}

/** 1.2 MB, 3.4 GB: decimal units, one decimal. */
export function size(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return u === 0 ? `${n} B` : `${n.toFixed(1)} ${units[u]}`;
}

/** A Redis URL without its password, for the report. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}
