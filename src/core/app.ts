import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import { type Clock, systemClock } from '#shared/clock.ts';
import { toQuotaConfig } from './quota/from-config.ts';
import { t } from './i18n/catalogs.ts';
import { FairJobQueue } from './jobs/fair-job-queue.ts';
import { JobEngine } from './jobs/job-service.ts';
import { LedgerQuotaGate } from './jobs/quota-gate.ts';
import { storageBlobStore, storageJobStore } from './jobs/storage-job-store.ts';
import { rawWorkflowBinder } from './jobs/raw-workflow.ts';
import { templateBinder } from './jobs/template-binder.ts';
import { installedModelsAdapter } from './prompt/model-binding.ts';
import { type JobRecord, needsEngine } from './jobs/types.ts';
import { createLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import type { PlatformModule } from './platforms/platform-module.ts';
import { BackendPool } from './pool/backend-pool.ts';
import { stableClientIds } from './pool/client-ids.ts';
import { backendSettings } from './pool/backend-settings.ts';
import { CloudBudget, type CloudBudgetLedger } from './quota/cloud-budget.ts';
import { localWindows } from './quota/local-windows.ts';
import { QuotaLedger } from './quota/quota-ledger.ts';
import { DurationEstimator } from './scheduler/duration-estimator.ts';
import { createStorage, type Storage } from './storage/create-storage.ts';
import { databaseFile } from './storage/database-file.ts';
import type { AssetStore } from './assets/asset-store.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { RetentionService } from './retention/retention-service.ts';
import { storedFiles } from './retention/stored-files.ts';
import { CommunityPolicies } from './chat/community-policy.ts';
import type { SafetyClassifier } from './safety/classifier.ts';
import { createSafetyStage } from './safety/start-safety.ts';
import { checkWorkflow } from '../workflows/check.ts';
import { loadTemplates } from '../workflows/loader.ts';
import type { LoadError } from '../workflows/load-error.ts';
import type { ApiWorkflow, WorkflowTemplate } from '../workflows/types.ts';
import { boundOutboundConnections } from '../comfy/outbound-connections.ts';

export interface AppOptions {
  /** `memory`: nothing survives the process (the CLI); `configured`: SQLite under dataDir, or Redis. */
  storage?: 'memory' | 'configured';
  logger?: Logger;
  /** Test knobs for the ComfyUI clients (faster reconnects, shorter silences). */
  clientOptions?: {
    idleEventMs?: number;
    unreachableLostMs?: number;
    historyRetryMs?: number;
    reconnect?: { initialMs: number; maxMs: number };
  };
  refreshIntervalMs?: number;
  /** The operator's own process (the CLI): every command-line requester is in an unlimited tier. */
  unlimitedQuota?: boolean;
  /**
   * This process's name when several share one Redis (a Discord shard); default `<host>-<pid>` there,
   * `main` alone. Two live processes must not share one.
   */
  instanceId?: string;
  /** Shared mode: how long a dead process's jobs wait before another takes them over (default 15 s). */
  leaseMs?: number;
  /** Shared mode: when an announced request with no job counts as interrupted (default 20 s). */
  interruptedAfterMs?: number;
  /** The platforms the configuration was loaded with: their tier matchers apply to their people. */
  platforms?: readonly PlatformModule[];
  /** Image safety: this classifier instead of the nsfwjs model (tests: `scriptedClassifier`). */
  safetyClassifier?: SafetyClassifier;
  /** Time and timers of the engine and the front ends' ports (default real); tests pass a faster or manual one. */
  clock?: Clock;
  /** Flush each stored file to disk before it is renamed into place (default true; off only in throwaway tests). */
  durableBlobs?: boolean;
}

/** Everything a front end needs, wired once. */
export interface App {
  config: Config;
  engine: JobEngine;
  pool: BackendPool;
  storage: Storage<JobRecord>;
  /** Files (uploads, outputs, input images) by content; the key-value storage keeps only references. */
  blobs: BlobStore;
  /** HTTP uploads and job outputs, over `blobs`. */
  assets: AssetStore;
  /** Ages, disk budgets and compaction; runs every `retention.intervalMinutes`, or on `run()`. */
  retention: RetentionService;
  quota: QuotaLedger;
  /** What overflow backends (Comfy Cloud) may still spend, per day and month, overall and per community. */
  budget: CloudBudgetLedger;
  templates: Map<string, WorkflowTemplate>;
  templateErrors: LoadError[];
  metrics: Metrics;
  log: Logger;
  t: typeof t;
  /** The clock the engine runs on; the front ends' ports default to it. */
  clock: Clock;
  /**
   * Stops taking jobs, lets submits and deliveries under way finish within the deadline, lets go of the
   * jobs still running (another process takes them over at once in shared mode), closes everything.
   */
  close(deadlineMs?: number): Promise<void>;
  /** `close`, saying how many jobs it let go of and how many submits or deliveries it cut short. */
  stop(deadlineMs?: number): Promise<{ handedOff: number; unfinished: number }>;
}

/** The composition root: the only place that builds the engine's parts and joins them. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  boundOutboundConnections();
  const log = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = new Metrics();
  const loaded = await loadTemplates(resolve(config.workflowsDir));
  for (const e of loaded.errors)
    log.error({ file: e.file, path: e.path, reason: e.reason }, 'workflow template not loaded');
  const templates = new Map(loaded.templates.map((tpl) => [tpl.name, tpl]));

  const memory = options.storage === 'memory';
  if (!memory && !config.storage.redisUrl) mkdirSync(resolve(config.dataDir), { recursive: true });
  const storage = await createStorage<JobRecord>(
    config.storage.redisUrl && !memory
      ? { redisUrl: config.storage.redisUrl, isActiveJob: (job) => needsEngine(job) }
      : {
          sqlitePath: memory ? ':memory:' : databaseFile(config.dataDir),
          isActiveJob: (job) => needsEngine(job),
        },
  );
  const files = storedFiles(config, storage, {
    memory,
    durable: options.durableBlobs,
    registry: metrics.registry,
    log,
    instanceId: options.instanceId,
  });
  const quotaConfig = toQuotaConfig(config.quotas, options.platforms);
  if (options.unlimitedQuota)
    quotaConfig.tiers = [
      { name: 'operator', unlimited: true, platforms: ['cli'] },
      ...(quotaConfig.tiers ?? []),
    ];
  const redisUrl = memory ? undefined : config.storage.redisUrl;
  const redis = redisUrl ? await import('./shared-redis.ts') : undefined;
  // Several processes on one Redis are one relay: one fair queue, running slots counted per job.
  const shared = redisUrl && redis ? redis.sharedMode(redisUrl, storage, log, options) : undefined;
  const quota = new QuotaLedger({
    config: quotaConfig,
    windows:
      redisUrl && redis ? redis.redisWindows({ url: redisUrl }) : localWindows({ store: storage.quota }),
    active: shared?.active,
  });

  // Stable per backend so that, after a restart, ComfyUI still sends the re-attached prompts' progress here.
  const clientIds = await stableClientIds(
    storage,
    shared?.shared.instanceId ?? options.instanceId ?? 'main',
    config.backends.map((b) => b.name),
  );
  const pool = new BackendPool({
    backends: backendSettings(config.backends, clientIds),
    canRun: (workflow, objectInfo) => checkWorkflow(workflow as ApiWorkflow, objectInfo as never),
    refreshIntervalMs: options.refreshIntervalMs,
    clientOptions: {
      comfyOrgApiKey: config.comfyOrgApiKey,
      idleEventMs: options.clientOptions?.idleEventMs ?? config.jobs.idleEventSeconds * 1000,
      unreachableLostMs: options.clientOptions?.unreachableLostMs,
      historyRetryMs: options.clientOptions?.historyRetryMs,
      reconnect: options.clientOptions?.reconnect,
    },
    onHealthChange: (b) => {
      metrics.backendHealthy.set({ backend: b.name }, b.healthy ? 1 : 0);
      log[b.healthy ? 'info' : 'warn'](
        { backend: b.name, error: b.lastError },
        b.healthy ? 'backend healthy' : 'backend unhealthy',
      );
    },
  });

  // Image safety: the model loads in the background; every output is screened before delivery.
  const communities = new CommunityPolicies(storage.communities);
  const safety = createSafetyStage(config.safety, {
    overrides: async (platform, community) => (await communities.get(platform, community)).safety,
    audit: storage,
    metrics,
    log,
    classifier: options.safetyClassifier,
    // A server with front ends loads the model at once; the command line (not screened) never does.
    eager: (options.platforms?.length ?? 0) > 0,
  });

  pool.onCondition((b) => {
    metrics.backendOutOfCredits.set({ backend: b.name }, b.condition === 'out_of_credits' ? 1 : 0);
    log[b.condition === 'ready' ? 'info' : 'warn'](
      { backend: b.name, condition: b.condition },
      'backend condition',
    );
  });

  const onBudgetError = (error: unknown) =>
    log.error({ err: String(error) }, 'cloud budget bookkeeping failed');
  // Several processes on one Redis spend one budget: checked and counted there, atomically.
  const budget: CloudBudgetLedger =
    redisUrl && redis
      ? new redis.RedisCloudBudget({ url: redisUrl, onError: onBudgetError })
      : new CloudBudget({ store: storage.quota, onError: onBudgetError });
  await budget.load();

  const queue = new FairJobQueue();
  const quotaGate = new LedgerQuotaGate(quota);
  quotaGate.onError((error) => log.error({ err: String(error) }, 'quota bookkeeping failed'));
  const engine = new JobEngine({
    store: storageJobStore(storage, files.jobsTtlMs),
    blobs: storageBlobStore(storage, files.blobs, files.jobsTtlMs),
    quota: quotaGate,
    queue,
    pool,
    bind: rawWorkflowBinder(
      templateBinder(
        () => templates,
        installedModelsAdapter(
          () => ({ backends: pool.backends, mapping: config.models }),
          (s) => log.warn(s, `${s.template}: ${s.missing} is not installed; using ${s.using} (${s.slot})`),
        ),
      ),
    ),
    budget,
    durations: new DurationEstimator({ defaultMs: config.scheduler.defaultJobSeconds * 1000 }),
    maxAttempts: config.jobs.maxAttempts,
    waitForBackendMs: config.jobs.waitForBackendSeconds * 1000,
    updateIntervalMs: config.progress.intervalMs,
    instanceId: options.instanceId,
    shared: shared?.shared,
    interruptedAfterMs: options.interruptedAfterMs,
    clock: options.clock,
    safety: safety.stage,
    log,
    hooks: {
      onTransition(job) {
        metrics.queueDepth.set(engine.queueSnapshot().waiting);
        for (const b of pool.backends) {
          metrics.backendJobs.set({ backend: b.name }, b.jobs.size);
          metrics.socketReconnects.set({ backend: b.name }, b.comfy?.reconnects ?? 0);
        }
        if (job.finishedAt && ['succeeded', 'failed', 'canceled', 'expired'].includes(job.state)) {
          metrics.outcomes.inc({ state: job.state, reason: job.error?.code ?? 'ok' });
        }
      },
      onQuotaRefused: (limit) => metrics.quotaRefusals.inc({ limit }),
      onWait: (_job, ms) => metrics.waitSeconds.observe(ms / 1000),
      onRun: (job, ms) => metrics.runSeconds.observe({ template: job.request.template }, ms / 1000),
    },
  });

  await pool.start();
  files.retention.start();
  const stop = async (deadlineMs = 10_000) => {
    const outcome = await engine.shutdown(deadlineMs);
    quotaGate.close();
    await files.retention.close();
    await pool.close();
    await safety.classifier.close();
    await quota.close();
    await budget.close?.();
    await storage.close();
    return outcome;
  };
  return {
    config,
    engine,
    pool,
    storage,
    blobs: files.blobs,
    assets: files.assets,
    retention: files.retention,
    quota,
    budget,
    templates,
    templateErrors: loaded.errors,
    metrics,
    log,
    t,
    clock: options.clock ?? systemClock,
    async close(deadlineMs = 10_000) {
      await stop(deadlineMs);
    },
    stop,
  };
}
