import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type App, type AppOptions, createApp } from '../../src/core/app.ts';
import { buildConfigSchema, type Config, type ConfigInput } from '../../src/config/index.ts';
import type { FrontEnd, JobResult } from '../../src/core/jobs/ports.ts';
import type { JobRecord, JobUpdate, Platform, Requester } from '../../src/core/jobs/types.ts';
import { createLogger } from '../../src/core/logger.ts';
import { scriptedClassifier } from '../../src/core/safety/classifier.ts';
import { PLATFORMS } from '../../src/platforms.ts';

export const WORKFLOWS_DIR = resolve(import.meta.dirname, '../../workflows');
export const SD15_MODELS = { checkpoints: ['v1-5-pruned-emaonly.safetensors'] };

const schema = buildConfigSchema(PLATFORMS);

/** A validated config for tests (every platform's section): the shipped workflows, a temp data dir. */
export function testConfig(input: ConfigInput): Config & { cleanup(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'comfyrelay-test-'));
  const config = schema.parse({ workflowsDir: WORKFLOWS_DIR, dataDir, logLevel: 'silent', ...input });
  return Object.assign(config, { cleanup: () => rmSync(dataDir, { recursive: true, force: true }) });
}

export const FAST_CLIENTS: AppOptions['clientOptions'] = {
  idleEventMs: 1000,
  unreachableLostMs: 1500,
  reconnect: { initialMs: 20, maxMs: 200 },
};

export async function testApp(config: Config, options: AppOptions = {}): Promise<App> {
  return createApp(config, {
    logger: createLogger({ level: 'silent' }),
    platforms: PLATFORMS,
    clientOptions: FAST_CLIENTS,
    refreshIntervalMs: 500,
    // Image safety: a scripted "neutral" answer, so that no test app loads the model unless it asks to.
    safetyClassifier: scriptedClassifier({ neutral: 1 }),
    // A throwaway data directory: no fsync per stored file.
    durableBlobs: false,
    ...options,
  });
}

export function requester(userId: string, extra: Partial<Requester> = {}): Requester {
  return { platform: 'cli', userId, ...extra };
}

/** A front end that records every update and delivery, for assertions. */
export class RecordingFrontEnd implements FrontEnd {
  readonly platform: Platform;
  readonly updates: JobUpdate[] = [];
  readonly deliveries: { job: JobRecord; result: JobResult }[] = [];
  failDeliveries = 0;
  constructor(platform: Platform = 'cli') {
    this.platform = platform;
  }
  updateIntervalMs(): number {
    return 50;
  }
  update(u: JobUpdate): void {
    this.updates.push(u);
  }
  async deliver(job: JobRecord, result: JobResult): Promise<void> {
    if (this.failDeliveries > 0) {
      this.failDeliveries--;
      throw new Error('platform said 429');
    }
    this.deliveries.push({ job, result });
  }
  finalOf(jobId: string): JobUpdate | undefined {
    return this.updates.findLast((u) => u.job.id === jobId);
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Waits for a job to reach a terminal state and returns it. */
export async function settled(app: App, id: string, ms = 15_000): Promise<JobRecord> {
  let job: JobRecord | undefined;
  await waitFor(
    async () => {
      job = await app.engine.get(id);
      return !!job && ['succeeded', 'failed', 'canceled', 'expired'].includes(job.state);
    },
    ms,
    `job ${id} finished`,
  );
  return job!;
}
