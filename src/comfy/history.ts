import type { PromptOutcome } from './events.ts';
import { outputsFromHistory } from './outputs.ts';
import { type ComfyNodeUi, parseExecutionError } from './protocol.ts';

/** A `/history/{id}` entry, as far as we read it. */
export interface HistoryEntry {
  outputs?: Record<string, ComfyNodeUi>;
  status?: { status_str?: string; completed?: boolean; messages?: [string, Record<string, unknown>][] };
}

/**
 * The outcome a finished history entry records. An interrupted run is stored as `status_str: "error"`,
 * told apart from a failure only by its last message's name.
 */
export function outcomeFromHistory(entry: HistoryEntry): PromptOutcome {
  const status = entry.status;
  const messages = Array.isArray(status?.messages) ? status.messages : [];
  if (status?.status_str === 'success' || (status?.completed && status.status_str !== 'error')) {
    return { type: 'succeeded', outputs: outputsFromHistory(entry.outputs) };
  }
  if (!status) return { type: 'succeeded', outputs: outputsFromHistory(entry.outputs) };
  if (messages.some(([name]) => name === 'execution_interrupted')) return { type: 'interrupted' };
  const error = messages.find(([name]) => name === 'execution_error');
  return {
    type: 'failed',
    error: error
      ? parseExecutionError(error[1])
      : { exceptionType: 'Error', message: 'ComfyUI reported an error', traceback: [], blocking: true },
  };
}
