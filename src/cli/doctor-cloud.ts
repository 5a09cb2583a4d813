import { existsSync } from 'node:fs';
import { registerCatalog } from '#shared/i18n.ts';
import type { BackendConfig, Config } from '../config/index.ts';
import { declaredProblems } from '../core/ports/backend-status.ts';
import type { BackendReport } from './doctor-probe.ts';
import { CloudBudget, type CloudBudgetLedger } from '../core/quota/cloud-budget.ts';
import { RedisCloudBudget } from '../core/quota/redis-cloud-budget.ts';
import { createStorage } from '../core/storage/create-storage.ts';
import { databaseFile } from '../core/storage/database-file.ts';
import { withinDeadline } from './deadline.ts';
import type { CliIo } from './io.ts';
import type { Translate } from './messages.ts';

registerCatalog({
  en: {
    'cli.doctor.cloud.heading': 'Comfy API v2 backends',
    'cli.doctor.cloud.key_ok': '{backend}: reachable, API key accepted, {slots} job(s) at once',
    'cli.doctor.cloud.key_refused':
      '{backend}: the service refused the API key: check apiKey or COMFY_API_KEY',
    'cli.doctor.cloud.overflow':
      '  overflow: used when local backends would keep a job waiting over {seconds} s',
    'cli.doctor.cloud.catalog.listed': '  templates checked against the node catalogue the service lists',
    'cli.doctor.cloud.catalog.declared': '  templates checked against the declared capabilities',
    'cli.doctor.cloud.catalog.unknown':
      '  the service lists no catalogue and none is declared: every template is sent as is (declare `capabilities` to route by model)',
    'cli.doctor.cloud.budget': '  budget ({scope}, {limit}): {left} of {max} left, resets {resets} UTC',
    'cli.doctor.cloud.no_budget': '  no budget set: it may spend without limit',
  },
  zh: {
    'cli.doctor.cloud.heading': 'Comfy API v2 后端',
    'cli.doctor.cloud.key_ok': '{backend}：可访问，API 密钥有效，同时 {slots} 个任务',
    'cli.doctor.cloud.key_refused': '{backend}：服务拒绝了 API 密钥：请检查 apiKey 或 COMFY_API_KEY',
    'cli.doctor.cloud.overflow': '  溢出：仅当本地后端会让任务等待超过 {seconds} 秒时使用',
    'cli.doctor.cloud.catalog.listed': '  模板已按服务列出的节点目录检查',
    'cli.doctor.cloud.catalog.declared': '  模板已按声明的 capabilities 检查',
    'cli.doctor.cloud.catalog.unknown':
      '  服务未列出节点目录，也未声明：所有模板按原样发送（声明 `capabilities` 可按模型路由）',
    'cli.doctor.cloud.budget': '  预算（{scope}，{limit}）：剩余 {left}/{max}，于 UTC {resets} 重置',
    'cli.doctor.cloud.no_budget': '  未设置预算：可能无限制地花费',
  },
});

/**
 * A template's problems on a v2 backend whose service lists no catalogue: by its declared
 * capabilities, or none (it is sent as is, and the service refuses what it cannot run).
 */
export function cloudProblems(
  graph: Record<string, unknown>,
  b: BackendConfig,
): { code: string; params: Record<string, string | number> }[] {
  return b.capabilities
    ? (declaredProblems(graph, b.capabilities) as { code: string; params: Record<string, string | number> }[])
    : [];
}

/** What is left of each budget, read from the relay's own storage when it has one (nothing is created). */
async function budgets(config: Config): Promise<CloudBudgetLedger | undefined> {
  if (config.storage.redisUrl) return redisBudgets(config.storage.redisUrl);
  const file = databaseFile(config.dataDir);
  if (!existsSync(file)) return undefined;
  const storage = await createStorage({ sqlitePath: file });
  try {
    const budget = new CloudBudget({ store: storage.quota });
    await budget.load();
    return budget;
  } finally {
    await storage.close();
  }
}

/** Several processes on one Redis count their budget there; unreachable within 3 s: none shown. */
async function redisBudgets(url: string): Promise<CloudBudgetLedger | undefined> {
  const budget = new RedisCloudBudget({ url });
  try {
    const read = await withinDeadline(
      budget.load().then(() => true),
      3000,
    ).catch(() => false);
    return read ? budget : undefined;
  } finally {
    await budget.close();
  }
}

/** The v2 backends' section of the report: key, slots, overflow rule, catalogue, remaining budget. */
export async function printCloud(io: CliIo, tr: Translate, config: Config, reports: BackendReport[]) {
  const cloud = config.backends.filter((b) => b.kind === 'comfy-api-v2');
  if (cloud.length === 0) return;
  const spent = await budgets(config).catch(() => undefined);
  io.out('');
  io.out(tr('cli.doctor.cloud.heading'));
  for (const b of cloud) {
    const r = reports.find((x) => x.name === b.name);
    if (!r?.reachable) {
      if (r?.keyValid === false) io.out(tr('cli.doctor.cloud.key_refused', { backend: b.name }));
      continue;
    }
    io.out(tr('cli.doctor.cloud.key_ok', { backend: b.name, slots: r.slots ?? b.slots }));
    if (b.overflow) io.out(tr('cli.doctor.cloud.overflow', { seconds: b.overflow.afterWaitSeconds }));
    const catalog = r.objectInfo ? 'listed' : r.declared ? 'declared' : 'unknown';
    io.out(tr(`cli.doctor.cloud.catalog.${catalog}`));
    if (!b.budget) {
      io.out(tr('cli.doctor.cloud.no_budget'));
      continue;
    }
    for (const left of (spent ?? new CloudBudget()).remaining(b.name, b.budget)) {
      const resets = new Date(left.resetsAt).toISOString().slice(0, 16).replace('T', ' ');
      io.out(tr('cli.doctor.cloud.budget', { ...left, left: Math.round(left.left), resets }));
    }
  }
}
