/**
 * What only shared mode (`storage.redisUrl`) needs, loaded by the composition root only then: the Redis
 * client is a large part of a short process's start-up (the command line runs on memory storage).
 */
export { sharedMode } from './cluster-mode.ts';
export { RedisCloudBudget } from './quota/redis-cloud-budget.ts';
export { redisWindows } from './quota/redis-windows.ts';
