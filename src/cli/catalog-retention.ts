import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages of `comfyrelay retention run`. */
export const retentionCatalog: Catalog = registerCatalog({
  en: {
    'cli.retention.usage': `Usage: comfyrelay retention run [--dry-run] [--json] [--config FILE] [--lang en|zh]

Runs one retention pass now on the configured store (the SQLite file in dataDir, or Redis) and blob
directory, as the server does every retention.intervalMinutes: audit entries past retention.auditDays,
input images of jobs that no longer exist, the oldest outputs over the disk budgets (never those of a
job still running or being delivered), files nothing references any more, interrupted uploads, then
compaction of the SQLite file. Finished jobs and assets expire on their own after retention.jobsDays
and retention.assetsDays. Safe while the server runs; files written in the last hour are kept.

Options:
  --dry-run    count what would be removed; remove nothing
  --json       print the report as one JSON object`,
    'cli.retention.empty': 'Nothing stored yet: there is no database at {path}.',
    'cli.retention.title': 'Retention run on {store}:',
    'cli.retention.title_dry': 'Retention dry run on {store} (nothing removed):',
    'cli.retention.audit': 'audit entries past their age: {count}',
    'cli.retention.inputs': 'input images of jobs that no longer exist: {count}',
    'cli.retention.evicted': 'files removed to fit the disk budgets: {count}',
    'cli.retention.blobs': 'files nothing references: {count}',
    'cli.retention.staged': 'interrupted uploads: {count}',
    'cli.retention.rows': 'expired database rows (jobs, assets, claims): {count}',
    'cli.retention.migrated': 'old inline values moved to files: {count}',
    'cli.retention.database': 'database file: {before} → {after}',
    'cli.retention.total': 'Freed {freed}; {files} file(s) kept ({kept}).',
    'cli.retention.total_dry': 'Would free {freed}; {files} file(s) would be kept ({kept}).',
    'cli.retention.failed': 'Retention run on {store} failed: {reason}',
    'cli.retention.unreachable':
      'No answer from {store} within {seconds} s: check storage.redisUrl (host, port, password) and that Redis runs.',
  },
  zh: {
    'cli.retention.usage': `用法：comfyrelay retention run [--dry-run] [--json] [--config 文件] [--lang en|zh]

立即对配置的存储（dataDir 中的 SQLite 文件或 Redis）和文件目录执行一次保留清理，与服务器每隔
retention.intervalMinutes 执行的相同：超过 retention.auditDays 的审计记录、已不存在的任务的输入图片、
超出磁盘配额的最旧输出（正在运行或正在发送的任务的输出除外）、不再被引用的文件、中断的上传，
最后压缩 SQLite 文件。已结束的任务和资源会在 retention.jobsDays 和 retention.assetsDays 后自动过期。
服务器运行时也可安全执行；最近一小时内写入的文件会保留。

选项：
  --dry-run    只统计将被删除的内容，不删除任何东西
  --json       以一个 JSON 对象输出报告`,
    'cli.retention.empty': '尚无任何存储内容：{path} 处没有数据库。',
    'cli.retention.title': '在 {store} 上执行保留清理：',
    'cli.retention.title_dry': '在 {store} 上试运行保留清理（未删除任何内容）：',
    'cli.retention.audit': '超期的审计记录：{count}',
    'cli.retention.inputs': '已不存在的任务的输入图片：{count}',
    'cli.retention.evicted': '为符合磁盘配额而删除的文件：{count}',
    'cli.retention.blobs': '不再被引用的文件：{count}',
    'cli.retention.staged': '中断的上传：{count}',
    'cli.retention.rows': '过期的数据库记录（任务、资源、占用）：{count}',
    'cli.retention.migrated': '移出到文件的旧内联数据：{count}',
    'cli.retention.database': '数据库文件：{before} → {after}',
    'cli.retention.total': '已释放 {freed}；保留 {files} 个文件（{kept}）。',
    'cli.retention.total_dry': '将释放 {freed}；将保留 {files} 个文件（{kept}）。',
    'cli.retention.failed': '在 {store} 上执行保留清理失败：{reason}',
    'cli.retention.unreachable':
      '{store} 在 {seconds} 秒内没有响应：请检查 storage.redisUrl（主机、端口、密码）以及 Redis 是否在运行。',
  },
});
