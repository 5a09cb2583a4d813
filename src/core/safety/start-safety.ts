import type { Result } from '#shared/result.ts';
import type { Metrics } from '../metrics.ts';
import type { AuditLog } from '../storage/audit-log.ts';
import { safetyAuditEntry } from './audit.ts';
import type { SafetyClassifier } from './classifier.ts';
import { JobSafetyStage } from './job-safety.ts';
import type { SafetyOverrides, SafetySettings } from './place-safety.ts';
import { startPoolClassifier } from './pool-classifier.ts';
import { unknownVerdict } from './scores.ts';

interface SafetyLog {
  info(o: object, m?: string): void;
  error(o: object, m?: string): void;
  warn(o: object, m?: string): void;
}

type Start = () => Promise<Result<SafetyClassifier, string>>;

/**
 * A classifier that is still starting: the model loads on its worker threads in the background (a few
 * seconds), so starting the app does not wait for it; an image to classify meanwhile waits for it (its
 * own timeout counts from when the model is there). `eager`: the load begins now; otherwise at the first
 * image (a process with no chat front end, such as the command line, whose jobs are not screened, never
 * loads it). When it cannot load, every verdict is `unknown` (`unavailable`) and the unknown rule decides.
 */
export function startingClassifier(start: Start, eager = true): SafetyClassifier {
  let started: ReturnType<Start> | undefined = eager ? start() : undefined;
  let closed = false;
  return {
    async classify(bytes, mime) {
      if (closed) return unknownVerdict('unavailable', 'closed');
      started ??= start();
      const s = await started;
      return s.ok ? s.value.classify(bytes, mime) : unknownVerdict('unavailable', s.error);
    },
    async close() {
      closed = true;
      const s = await started;
      if (s?.ok) await s.value.close();
    },
  };
}

/**
 * The engine's safety stage from the `safety:` config: the nsfwjs pool (or the given classifier), the
 * communities' overrides, the audit log and the metrics.
 */
export function createSafetyStage(
  settings: SafetySettings,
  deps: {
    overrides(platform: string, communityId: string): Promise<SafetyOverrides | undefined>;
    audit: Pick<AuditLog, 'appendAudit'>;
    metrics: Metrics;
    log: SafetyLog;
    /** Instead of the model (tests: `scriptedClassifier`). */
    classifier?: SafetyClassifier;
    /** Load the model now (a server with front ends) rather than at the first image. */
    eager?: boolean;
  },
): { stage: JobSafetyStage; classifier: SafetyClassifier } {
  const { log } = deps;
  const off = async () => ({ ok: false, error: 'safety.enabled is false' }) as const;
  const classifier =
    deps.classifier ??
    (settings.enabled
      ? startingClassifier(() => startModel(settings, log), deps.eager)
      : startingClassifier(off));
  const stage = new JobSafetyStage({
    settings,
    classifier,
    overrides: deps.overrides,
    metrics: deps.metrics,
    audit: (record) => deps.audit.appendAudit(safetyAuditEntry(record)),
    onAuditError: (error, record) =>
      log.warn({ job: record.jobId, err: String(error) }, 'safety decision not written to the audit log'),
    onError: (error, what) => log.warn({ err: String(error) }, `${what} not read`),
  });
  return { stage, classifier };
}

async function startModel(
  settings: SafetySettings,
  log: SafetyLog,
): Promise<Result<SafetyClassifier, string>> {
  const started = performance.now();
  const pool = await startPoolClassifier({
    workers: settings.workers,
    timeoutMs: settings.timeoutMs,
    queueTimeoutMs: settings.queueTimeoutMs,
    maxFrames: settings.maxFrames,
    onEvent: (e) => {
      if (e.type === 'exited' || e.type === 'stuck') log.warn({ ...e }, 'image safety worker replaced');
    },
  }).catch((error: unknown) => ({ ok: false, error: String(error) }) as const);
  if (pool.ok)
    log.info(
      { workers: pool.value.readyWorkers, ms: Math.round(performance.now() - started) },
      'image safety classifier ready',
    );
  else
    log.error(
      { err: pool.error, unknown: settings.unknown },
      'image safety classifier did not load: every image counts as unknown (safety.unknown decides)',
    );
  return pool;
}
