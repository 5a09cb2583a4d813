export type { ApiWorkflow, QueueState, SystemStats } from './api.ts';
export type {
  AssetReference,
  BackendClient,
  BackendKind,
  InputImageRef,
} from './backend-client.ts';
export {
  ComfyClient,
  type ComfyClientOptions,
  type PromptHandle,
  type SubmitOptions,
} from './client.ts';
export type { Clock, ClockTimer } from './clock.ts';
export * from './errors.ts';
export type { ComfyJobEvent, ComfyTerminalEvent, PromptOutcome } from './events.ts';
export { type BackendAuth, displayUrl } from './http.ts';
export { type ComfyOutput, type OutputKind, outputsFromUi } from './outputs.ts';
export type { ComfyExecutionErrorInfo, ComfyFileRef } from './protocol.ts';
export type { WebSocketFactory, WebSocketLike, WebSocketOptions } from './websocket.ts';
export * from './v2/index.ts';
