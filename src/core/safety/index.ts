/** Image safety: classify outputs, decide per place, blur, audit. See each module for the why. */
export * from './audit.ts';
export * from './blur.ts';
export * from './classifier.ts';
export * from './place-safety.ts';
export * from './policy.ts';
export * from './job-place.ts';
export * from './job-safety.ts';
export * from './pool-classifier.ts';
export * from './safety-admin.ts';
export * from './safety-change.ts';
export * from './scores.ts';
export * from './screen-result.ts';
export * from './screened-reader.ts';
export type { PoolEvent } from './worker-pool.ts';
