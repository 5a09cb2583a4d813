import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { INTERRUPTED } from '../../src/core/jobs/interrupted-requests.ts';
import { isTerminal, type JobRecord } from '../../src/core/jobs/types.ts';
import { createStorage } from '../../src/core/storage/create-storage.ts';
import { type FakeComfy, startFakeComfy } from '../../test/fakes/comfy/index.ts';
import { SD15_MODELS, WORKFLOWS_DIR } from '../../test/helpers/app.ts';
import { type Request, sendRequest } from './clients.ts';
import { RelayCluster } from './cluster.ts';
import { DurableRedis } from './durable-redis.ts';
import { FAULT_WEIGHTS, type FaultKind, inject, type World } from './injector.ts';
import { startPlatforms } from './platforms.ts';
import { Rng } from './rng.ts';
import { type Tally, tally } from './tally.ts';

export interface SuiteOptions {
  seed: number;
  jobs: number;
  faults: number;
  /** How long requests and faults are spread over (default: about 4 requests a second). */
  spanMs?: number;
  /** GPU time of one job on a fake ComfyUI. */
  jobMs?: number;
  /** How long, after the last request, everything may take to end before what is left counts as lost. */
  drainMs?: number;
  /**
   * How long a request answered before its job existed, whose process died, waits before another
   * process tells its person it was interrupted (the engine's default, 20 s, unless told).
   */
  interruptedAfterMs?: number;
  log?: (line: string) => void;
}

export interface SuiteResult extends Tally {
  faults: number;
  jobs: number;
  byKind: Record<string, number>;
}

const RELAYS = 2;
const BACKENDS = 3;
const LEASE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The fault-injection suite: `jobs` requests from Discord, Telegram and the HTTP API to two ComfyRelay
 * processes sharing a redis-server, three fake ComfyUI backends, and `faults` faults drawn at random
 * meanwhile (one of them a relay killed for good). Seeded: the same seed draws the same faults, in the
 * same order, and the same requests.
 */
export async function runFaultSuite(o: SuiteOptions): Promise<SuiteResult> {
  const log = o.log ?? (() => {});
  const span = o.spanMs ?? Math.max(5000, o.jobs * 250);
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-faults-'));
  mkdirSync(join(dir, 'redis'));
  const redis = await DurableRedis.start(join(dir, 'redis'));
  const comfy: FakeComfy[] = [];
  for (let i = 0; i < BACKENDS; i++)
    comfy.push(await startFakeComfy({ models: SD15_MODELS, jobMs: o.jobMs ?? 150, previews: false }));
  const platforms = await startPlatforms({ shards: RELAYS, users: 24 });
  const cluster = await RelayCluster.create(
    RELAYS,
    (slot) => ({
      backends: comfy.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
      workflowsDir: WORKFLOWS_DIR,
      dataDir: join(dir, 'data'),
      storage: { redisUrl: redis.url },
      logLevel: 'silent',
      http: { host: '127.0.0.1', port: slot.httpPort },
      discord: { token: platforms.discord.token, apiRoot: platforms.discordApi },
      telegram: {
        token: platforms.telegram.token,
        apiRoot: platforms.telegram.apiRoot,
        webhook: { url: platforms.webhookUrl, secretToken: 'fault-suite', port: slot.webhookPort },
      },
      quotas: { defaults: { running: 2, waiting: 200, perWindow: 1_000_000 } },
      jobs: { maxAttempts: 5, waitForBackendSeconds: 600 },
    }),
    LEASE_MS,
    o.interruptedAfterMs,
  );
  platforms.setWebhookTargets(cluster.slots.map((s) => s.webhookPort));
  const storage = await createStorage<JobRecord>({ redisUrl: redis.url });
  const raw = new Redis(redis.url, { maxRetriesPerRequest: null });
  raw.on('error', () => {});
  const background: Promise<unknown>[] = [];
  try {
    await Promise.all(cluster.slots.map((s) => cluster.start(s)));
    log(`started: ${RELAYS} relays, ${BACKENDS} backends, redis on ${redis.port}`);
    const world: World = {
      rng: new Rng(o.seed * 2 + 1),
      comfy,
      cluster,
      redis,
      platforms,
      background,
      delivering: async () => {
        const out: { id: string; instance: string }[] = [];
        for await (const [id, job] of storage.jobs.listActive())
          if (job.state === 'delivering') out.push({ id, instance: job.instance ?? '' });
        return out;
      },
    };
    const byKind: Record<string, number> = {};
    // FAULTS_ONLY=kind,kind: draw from these kinds only (to chase one kind of fault).
    const only = process.env.FAULTS_ONLY?.split(',');
    const weights = Object.fromEntries(
      Object.entries(FAULT_WEIGHTS).map(([k, w]) => [k, !only || only.includes(k) ? w : 0]),
    ) as Record<keyof typeof FAULT_WEIGHTS, number>;
    const goneAt = Math.floor(o.faults * 0.6);
    const faulting = (async () => {
      for (let i = 0; i < o.faults; i++) {
        await sleep(world.rng.int(0, (2 * span) / o.faults));
        const kind: FaultKind = i === goneAt ? 'relayGoneForGood' : world.rng.weighted(weights);
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        const what = await inject(kind, world).catch((e) => `${kind} failed: ${e}`);
        log(`fault ${i + 1}/${o.faults} at ${Date.now()}: ${what}`);
      }
    })();
    const sent: Promise<Request>[] = [];
    const pace = new Rng(o.seed * 2 + 2);
    for (let n = 0; n < o.jobs; n++) {
      await sleep(pace.int(0, (2 * span) / o.jobs));
      sent.push(sendRequest(n, new Rng(o.seed * 7919 + n), platforms, cluster));
    }
    await faulting;
    const requests = await Promise.all(sent);
    await Promise.allSettled(background);
    log(`all ${o.jobs} requests sent; waiting for every job to end`);
    const lookup = {
      claimed: async (key: string) => (await raw.get(`comfyrelay:claim:idempotency:${key}`)) ?? undefined,
      expected: async (key: string) => (await raw.hexists('comfyrelay:jobs:expected', key)) === 1,
      job: (id: string) => storage.jobs.get(id),
      httpOrigin: () => `http://127.0.0.1:${(cluster.live[0] ?? cluster.slots[0]!).httpPort}`,
    };
    await drain(requests, lookup, o.drainMs ?? Number(process.env.FAULTS_DRAIN_MS ?? 180_000), log);
    // People look their HTTP jobs up on a process that answers.
    for (let i = 0; i < 100 && cluster.live.length === 0; i++) await sleep(200);
    const result = await tally(requests, platforms, lookup);
    for (const note of result.notes) log(note);
    return { ...result, faults: o.faults, jobs: requests.length, byKind };
  } finally {
    await Promise.allSettled(background);
    await cluster.close().catch(() => {});
    await platforms.close();
    await Promise.allSettled(comfy.map((f) => f.close()));
    raw.disconnect();
    await storage.close().catch(() => {});
    await redis.stop();
    if (!process.env.KEEP_FAULTS_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until every job the requests made has ended and its owner was told, or `ms` passed. */
async function drain(
  requests: readonly Request[],
  lookup: {
    claimed(key: string): Promise<string | undefined>;
    /** Whether the request is still recorded as answered and waiting for its job. */
    expected(key: string): Promise<boolean>;
    job(id: string): Promise<JobRecord | undefined>;
  },
  ms: number,
  log: (line: string) => void,
): Promise<void> {
  const end = Date.now() + ms;
  const missingSince = new Map<number, number>();
  for (;;) {
    const open: string[] = [];
    for (const r of requests) {
      if (r.refused && !r.jobId) continue;
      const id = r.jobId ?? (await lookup.claimed(r.key).catch(() => undefined));
      const job = id ? await lookup.job(id).catch(() => undefined) : undefined;
      const done = job
        ? isTerminal(job.state) && (job.notifiedAt !== undefined || !job.delivery)
        : await noJobComing(r, id, lookup, missingSince);
      if (!done && (job || !r.refused))
        open.push(`#${r.n} ${r.platform} ${r.key}${id ? ` (${id}: ${job?.state ?? 'no job'})` : ''}`);
    }
    if (open.length === 0 || Date.now() > end) {
      if (open.length > 0) log(`${open.length} requests still open after the drain: ${open.join(', ')}`);
      return;
    }
    await sleep(250);
  }
}

/**
 * How long a job named by a request's key may stay missing before it is taken as never coming: well past
 * the engine's own wait for the job of a claimed key (5 s), after which it answers without one.
 */
const NEVER_STORED_MS = 10_000;

/**
 * A request whose process died before it made the job: another process took its key and told its
 * person (a Discord request is no longer expected once told), or the key names a job that was never
 * stored. What the person was shown is for the tally to judge.
 */
async function noJobComing(
  r: Request,
  claimed: string | undefined,
  lookup: { expected(key: string): Promise<boolean> },
  missingSince: Map<number, number>,
): Promise<boolean> {
  if (claimed === undefined) return false;
  if (claimed === INTERRUPTED)
    return r.platform !== 'discord' || !(await lookup.expected(r.key).catch(() => true));
  const since = missingSince.get(r.n) ?? Date.now();
  missingSince.set(r.n, since);
  return Date.now() - since >= NEVER_STORED_MS;
}
