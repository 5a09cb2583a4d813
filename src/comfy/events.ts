import type { ComfyOutput } from './outputs.ts';
import type { ComfyExecutionErrorInfo } from './protocol.ts';

/** What happens to one prompt, in order. Exactly one terminal event (succeeded…lost) ends the stream. */
export type ComfyJobEvent =
  | { type: 'queued'; position: number }
  | { type: 'started' }
  | { type: 'cached'; nodes: string[] }
  | { type: 'executing'; node: string; classType?: string; title?: string }
  | { type: 'progress'; node: string; value: number; max: number }
  | { type: 'overall'; fraction: number }
  | { type: 'preview'; mime: string; data: Uint8Array; node?: string }
  | { type: 'output'; output: ComfyOutput }
  | { type: 'text'; node: string; text: string }
  | ComfyTerminalEvent;

export type ComfyTerminalEvent =
  | { type: 'succeeded'; outputs: ComfyOutput[] }
  | { type: 'failed'; error: ComfyExecutionErrorInfo }
  | { type: 'interrupted' }
  /** Deleted from ComfyUI's queue before it started, at our request. */
  | { type: 'canceled' }
  /** Neither in the queue nor in history: the backend restarted or dropped it. */
  | { type: 'lost'; reason: string }
  /** It left the queue, but its history could not be read (ComfyUI kept answering an error): the run's
   * result is unknown, and running it again could run it twice. */
  | { type: 'unreadable'; reason: string };

export type PromptOutcome = ComfyTerminalEvent;

export const TERMINAL_EVENTS: ReadonlySet<ComfyJobEvent['type']> = new Set([
  'succeeded',
  'failed',
  'interrupted',
  'canceled',
  'lost',
  'unreadable',
]);
