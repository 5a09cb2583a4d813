export {
  ComfyClient,
  type ComfyClientOptions,
  type PromptHandle,
  type QueueState,
  type SubmitOptions,
  type SystemStats,
} from './client.ts';
export * from './errors.ts';
export type { ComfyJobEvent, ComfyTerminalEvent, PromptOutcome } from './events.ts';
export { type BackendAuth, displayUrl } from './http.ts';
export { type ComfyOutput, type OutputKind, outputsFromUi } from './outputs.ts';
export type { ComfyExecutionErrorInfo, ComfyFileRef } from './protocol.ts';
