import type { ComfyEvent, Job, Output } from '@comfyorg/sdk';
import type { ClockTimer } from '../clock.ts';
import { TrackedPrompt } from '../tracked-prompt.ts';
import { outputFromV2, type V2OutputModel } from './outputs.ts';

/** A job's terminal statuses on Comfy API v2 (`canceling` is not one: it can take a while). */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled', 'expired']);

type Graph = ConstructorParameters<typeof TrackedPrompt>[1];

/**
 * One job this client follows on the service: its listeners and outcome (a TrackedPrompt, as for
 * ComfyUI), the SDK handle that streams and polls it, and what was asked of it.
 */
export class RemoteJob {
  readonly tracked: TrackedPrompt;
  readonly sdk: Job;
  /** Stops following (client closing, or the job given up on). */
  readonly stop = new AbortController();
  /** Set when our own time limit canceled it, so its `canceled` end is reported as a time-out. */
  timedOut = false;
  /** After the time limit: when the job is given up on if the service does not end it. */
  graceTimer: ClockTimer | undefined;
  #lastNode: string | undefined;

  constructor(sdk: Job, graph: Graph, now: () => number) {
    this.sdk = sdk;
    this.tracked = new TrackedPrompt(sdk.id, graph, now);
    this.tracked.submitting = false;
  }

  get id(): string {
    return this.sdk.id;
  }

  /** Emits what one SDK event means as ComfyJobEvents; returns true when it is the terminal status. */
  apply(e: ComfyEvent): boolean {
    const t = this.tracked;
    switch (e.kind) {
      case 'statusChange':
        if (TERMINAL_STATUSES.has(e.status)) return true;
        if (e.status === 'queued' && typeof e.queuePosition === 'number') {
          t.emit({ type: 'queued', position: e.queuePosition });
        } else if (e.status === 'running') t.markStarted();
        return false;
      case 'progress': {
        t.markStarted();
        const node = e.currentNode ?? this.#lastNode;
        if (e.currentNode && e.currentNode !== this.#lastNode) {
          this.#lastNode = e.currentNode;
          t.emit({ type: 'executing', node: e.currentNode, ...t.titleOf(e.currentNode) });
        }
        if (e.step !== null && e.steps)
          t.emit({ type: 'progress', node: node ?? '', value: e.step, max: e.steps });
        t.emit({ type: 'overall', fraction: Math.min(1, Math.max(0, e.value)) });
        return false;
      }
      case 'preview':
        t.emit({
          type: 'preview',
          mime: e.contentType,
          data: e.data,
          ...(e.nodeId ? { node: e.nodeId } : {}),
        });
        return false;
      case 'outputReady':
        t.emit({ type: 'output', output: outputFromV2(outputModel(e.output)) });
        return false;
      default:
        return false;
    }
  }
}

export function outputModel(o: Output): V2OutputModel {
  return {
    nodeId: o.nodeId,
    name: o.name,
    type: o.type,
    id: o.id,
    contentType: o.contentType,
    sizeBytes: Number(o.sizeBytes),
  };
}
