import { outputsFromUi } from './outputs.ts';
import type { ComfyMessage } from './protocol.ts';
import type { TrackedPrompt } from './tracked-prompt.ts';

export interface PromptEventRouterHooks {
  /** The watched prompt with this id, if any: messages for other prompts are dropped. */
  prompt(promptId: string): TrackedPrompt | undefined;
  /** A `status` broadcast: the queue changed. */
  queueChanged(): void;
  /** The run sent its last message (success, error, interrupt); only the final `executing` is left. */
  finishing(tracked: TrackedPrompt): void;
  /** `executing {node: null}`: the run is over and history has (or is about to have) its outcome. */
  ended(tracked: TrackedPrompt): void;
}

/**
 * Turns the shared socket's messages into each prompt's events. Most messages name their prompt; the few
 * that do not (an `executing` replay after a reconnect, a legacy `progress`) belong to the running one.
 */
export class PromptEventRouter {
  readonly #hooks: PromptEventRouterHooks;
  #running: string | undefined;

  constructor(hooks: PromptEventRouterHooks) {
    this.#hooks = hooks;
  }

  route(m: ComfyMessage): void {
    if (m.type === 'status') {
      // Only the status sent on connect carries `sid`; every later one follows a queue change.
      if (m.sid === undefined) this.#hooks.queueChanged();
      return;
    }
    if (m.type === 'feature_flags' || m.type === 'other') return;
    const promptId = 'promptId' in m && m.promptId ? m.promptId : this.#running;
    const tracked = promptId ? this.#hooks.prompt(promptId) : undefined;
    if (m.type === 'execution_start') this.#running = m.promptId;
    if (!tracked) return;
    switch (m.type) {
      case 'execution_start':
        tracked.markStarted();
        break;
      case 'execution_cached':
        tracked.markStarted();
        tracked.progress.cached(m.nodes);
        tracked.emit({ type: 'cached', nodes: m.nodes });
        tracked.emit({ type: 'overall', fraction: tracked.progress.fraction });
        break;
      case 'executing':
        if (m.node === null) {
          if (this.#running === tracked.promptId) this.#running = undefined;
          this.#hooks.ended(tracked);
        } else {
          tracked.markStarted();
          tracked.progress.executing(m.node);
          tracked.emit({ type: 'executing', node: m.node, ...tracked.titleOf(m.displayNode ?? m.node) });
          tracked.emit({ type: 'overall', fraction: tracked.progress.fraction });
        }
        break;
      case 'progress': {
        const node = m.node ?? '';
        tracked.progress.progress(node, m.value, m.max);
        tracked.emit({ type: 'progress', node, value: m.value, max: m.max });
        tracked.emit({ type: 'overall', fraction: tracked.progress.fraction });
        break;
      }
      case 'preview':
        tracked.emit({ type: 'preview', mime: m.mime, data: m.data, node: m.node });
        break;
      case 'text':
        tracked.emit({ type: 'text', node: m.node, text: m.text });
        break;
      case 'executed': {
        const outputs = outputsFromUi(m.node, m.output);
        tracked.outputs.set(m.node, outputs);
        for (const output of outputs) tracked.emit({ type: 'output', output });
        break;
      }
      case 'execution_success':
        tracked.finishing = { kind: 'success' };
        this.#hooks.finishing(tracked);
        break;
      case 'execution_error':
        if (!m.error.blocking) break;
        tracked.finishing = { kind: 'error', error: m.error };
        this.#hooks.finishing(tracked);
        break;
      case 'execution_interrupted':
        tracked.finishing = { kind: 'interrupted' };
        this.#hooks.finishing(tracked);
        break;
    }
  }
}
