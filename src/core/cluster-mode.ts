import { hostname } from 'node:os';
import type { Clock } from '#shared/clock.ts';
import { RedisSharedJobs } from './jobs/cluster/redis-shared-jobs.ts';
import { needsEngine, type JobRecord } from './jobs/types.ts';
import type { Logger } from './logger.ts';
import type { ActiveStore } from './quota/active-store.ts';
import { redisActive } from './quota/redis-active.ts';
import type { Storage } from './storage/create-storage.ts';

const ACTIVE_PREFIX = 'comfyrelay:active';

export interface SharedModeOptions {
  /** This process's name among those on the Redis; default `<host>-<pid>`, unique while it lives. */
  instanceId?: string;
  /** How long a job outlives its process's last lease renewal before another takes it over (15 s). */
  leaseMs?: number;
  /** The engine's clock (default real). */
  clock?: Clock;
}

/**
 * The parts that make several processes on one Redis one relay: running and waiting jobs counted per
 * job, and the shared queue with its leases. Built by the composition root when `storage.redisUrl` is set.
 */
export function sharedMode(
  redisUrl: string,
  storage: Storage<JobRecord>,
  log: Logger,
  options: SharedModeOptions = {},
): { active: ActiveStore; shared: RedisSharedJobs } {
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
  const active = redisActive({
    url: redisUrl,
    prefix: ACTIVE_PREFIX,
    isJobActive: async (id) => {
      const job = await storage.jobs.get(id);
      return !!job && needsEngine(job);
    },
    onError: (error) => log.warn({ err: String(error) }, 'shared quota counts: write failed; retrying'),
  });
  const shared = new RedisSharedJobs({
    url: redisUrl,
    instanceId,
    activePrefix: ACTIVE_PREFIX,
    leaseMs: options.leaseMs,
    clock: options.clock,
  });
  return { active, shared };
}
