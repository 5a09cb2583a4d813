export { ComfyApiV2Client } from './client.ts';
export type { V2Condition } from './condition.ts';
export {
  OutOfCreditsError,
  QueueFullError,
  SubmitOutcomeUnknownError,
  UnauthorizedError,
  type V2BackendState,
} from './errors.ts';
export type { ComfyApiV2ClientOptions } from './options.ts';
export { ASSET_FILE_TYPE, assetIdOf } from './outputs.ts';
export type { V2Probe } from './probe.ts';
export { listedObjectInfo } from './catalog.ts';
export type { V2Log } from './wait.ts';
