export type { DiskBudget, StoredEntry } from './plan-evictions.ts';
export { planEvictions } from './plan-evictions.ts';
export type { RetentionDeps, RetentionOptions, RetentionReport, RetentionSettings } from './retention-run.ts';
export { runRetention } from './retention-run.ts';
export { RetentionService } from './retention-service.ts';
export { type StoredFiles, storedFiles } from './stored-files.ts';
