// The prompt worker (main.py prompt_worker + execution.py PromptExecutor) with its exact message order.
import { createHash, randomInt } from 'node:crypto';
import { setImmediate as yieldTurn, setTimeout as sleep } from 'node:timers/promises';
import type { FileStore } from './files.ts';
import { previewFrame, previewWithMetadataFrame } from './frames.ts';
import { ExecutionList, nodeSignatures } from './graph.ts';
import type { WsHub } from './hub.ts';
import {
  currentInputs,
  type NodeContext,
  NodeRuntimeError,
  runNode,
  runtimeTraceback,
  SAMPLERS,
  samplerSteps,
  type Value,
} from './nodes.ts';
import type { PromptQueue } from './queue.ts';
import type { Catalog, HistoryEntry, JsonObject, QueueItem } from './types.ts';

export type ExecutorConfig = {
  stepDelayMs: number;
  jobMs?: number;
  previews: boolean;
  previewJpeg: Buffer;
};

type Job = {
  item: QueueItem;
  cancelled: boolean;
  start: number;
  paused: number;
  ticks: number;
  tick: number;
};
type CacheEntry = { outputs: Value[]; ui: JsonObject | null };
type Ended =
  | { kind: 'error'; data: JsonObject }
  | { kind: 'interrupted'; data: JsonObject }
  | { kind: 'cancelled' };

const SENSITIVE_EXTRA_DATA_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org'];

class Stop {
  readonly ended: Ended;
  constructor(ended: Ended) {
    this.ended = ended;
  }
}

export class Executor {
  private readonly hub: WsHub;
  private readonly queue: PromptQueue;
  private readonly store: FileStore;
  private readonly catalog: () => Catalog;
  readonly config: ExecutorConfig;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly tempPrefixes = new Map<string, string>();
  private interruptFlag = false;
  private freeMemoryPending = false;
  private stalled = false;
  private releaseStall: (() => void) | undefined;
  private stallGate: Promise<void> = Promise.resolve();
  private job: Job | undefined;
  readonly failures = new Map<string, { message: string; type: string }>();
  clientId: string | null = null;
  lastNodeId: string | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    hub: WsHub,
    queue: PromptQueue,
    store: FileStore,
    catalog: () => Catalog,
    config: ExecutorConfig,
  ) {
    this.hub = hub;
    this.queue = queue;
    this.store = store;
    this.catalog = catalog;
    this.config = config;
  }

  interrupt(): void {
    this.interruptFlag = true;
  }

  freeMemory(): void {
    if (this.job) this.freeMemoryPending = true;
    else this.cache.clear();
  }

  stall(on: boolean): void {
    if (on && !this.stalled) {
      this.stalled = true;
      this.stallGate = new Promise((resolve) => {
        this.releaseStall = resolve;
      });
    } else if (!on && this.stalled) {
      this.stalled = false;
      this.releaseStall?.();
    }
  }

  /** restart(): the running job vanishes without a message, and the classic cache is lost. */
  reset(): void {
    if (this.job) this.job.cancelled = true;
    this.job = undefined;
    this.cache.clear();
    this.clientId = null;
    this.lastNodeId = null;
    this.stall(false);
  }

  idle(): Promise<void> {
    if (!this.job && this.queue.pending().length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Called after every queue change: starts the next prompt when nothing runs. */
  pump(): void {
    if (this.job) return;
    setImmediate(() => {
      if (this.job) return;
      const item = this.queue.get();
      if (!item) {
        for (const w of this.idleWaiters.splice(0)) w();
        return;
      }
      const job: Job = { item, cancelled: false, start: Date.now(), paused: 0, ticks: 1, tick: 0 };
      this.job = job;
      void this.run(job).finally(() => {
        if (this.job === job) this.job = undefined;
        if (!job.cancelled) this.pump();
      });
    });
  }

  private async wait(job: Job, stepDelay: number): Promise<void> {
    const { jobMs } = this.config;
    if (jobMs !== undefined) {
      job.tick++;
      const due = job.start + job.paused + (jobMs * job.tick) / job.ticks;
      const ms = due - Date.now();
      if (ms > 0) await sleep(ms);
      else await yieldTurn();
    } else if (stepDelay > 0) await sleep(stepDelay);
    else await yieldTurn();
    if (this.stalled) {
      const t = Date.now();
      await this.stallGate;
      job.paused += Date.now() - t;
    }
    if (job.cancelled) throw new Stop({ kind: 'cancelled' });
  }

  private tempPrefix(id: string): string {
    let p = this.tempPrefixes.get(id);
    if (!p) {
      p = `_temp_${Array.from({ length: 5 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;
      this.tempPrefixes.set(id, p);
    }
    return p;
  }

  private isChanged(prompt: QueueItem[2], id: string): string {
    const node = prompt[id];
    if (node?.class_type !== 'LoadImage' && node?.class_type !== 'LoadImageMask') return '';
    const bytes = this.store.resolveAnnotated(String(node.inputs?.image));
    return bytes ? createHash('sha256').update(bytes).digest('hex') : 'missing';
  }

  private async run(job: Job): Promise<void> {
    const [, promptId, prompt, extraData, outputs] = job.item;
    const catalog = this.catalog();
    const clientId = typeof extraData.client_id === 'string' ? extraData.client_id : null;
    this.interruptFlag = false;
    this.clientId = clientId;
    const messages: [string, JsonObject][] = [];
    const addMessage = (event: string, data: JsonObject, broadcast: boolean) => {
      const withTs = { ...data, timestamp: Date.now() };
      messages.push([event, withTs]);
      if (clientId !== null || broadcast) this.hub.send(event, withTs, clientId);
    };
    const toClient = (type: string, data: JsonObject) => {
      if (clientId !== null) this.hub.send(type, data, clientId);
    };

    const sigs = nodeSignatures(prompt, catalog, (id) => this.isChanged(prompt, id));
    const live = new Set(sigs.values());
    for (const key of [...this.cache.keys()]) if (!live.has(key)) this.cache.delete(key);
    const cachedOf = (id: string) => this.cache.get(sigs.get(id) ?? '');

    addMessage('execution_start', { prompt_id: promptId }, false);
    addMessage(
      'execution_cached',
      { nodes: Object.keys(prompt).filter((id) => cachedOf(id)), prompt_id: promptId },
      false,
    );

    const list = new ExecutionList(prompt, catalog, (id) => cachedOf(id) !== undefined);
    for (const o of outputs) list.addNode(o);
    const toRun = list.nodes().filter((id) => !cachedOf(id));
    job.ticks = Math.max(
      1,
      toRun.reduce(
        (n, id) => n + (SAMPLERS.has(prompt[id]?.class_type ?? '') ? samplerSteps(prompt, id) : 1),
        0,
      ),
    );

    const progress = new Map<string, JsonObject>();
    const sendProgressState = () =>
      this.hub.send('progress_state', { prompt_id: promptId, nodes: Object.fromEntries(progress) }, clientId);
    const setProgress = (id: string, value: number, max: number, state: string) => {
      progress.set(id, {
        value,
        max,
        state,
        node_id: id,
        prompt_id: promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      });
      sendProgressState();
    };
    const finish = (id: string) => {
      const max = Number(progress.get(id)?.max ?? 1);
      setProgress(id, max, max, 'finished');
    };

    const values = new Map<string, Value[]>();
    const uiOutputs: Record<string, JsonObject> = {};
    const meta: Record<string, JsonObject> = {};
    const executed: string[] = [];
    const nodeCtx = (id: string): NodeContext => ({
      id,
      prompt,
      catalog,
      extraData,
      store: this.store,
      valueOf: ([from, slot]) => (values.get(from) ?? cachedOf(from)?.outputs)?.[slot],
      tempPrefix: (x) => this.tempPrefix(x),
      signature: sigs.get(id) ?? id,
    });
    const recordUi = (id: string, ui: JsonObject) => {
      uiOutputs[id] = ui;
      meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
    };

    let ended: Ended | undefined;
    try {
      for (let id = list.next(); id !== undefined; id = list.next()) {
        const classType = prompt[id]?.class_type ?? '';
        const hit = cachedOf(id);
        if (hit) {
          toClient('executed', { node: id, display_node: id, output: hit.ui, prompt_id: promptId });
          if (hit.ui) recordUi(id, hit.ui);
          finish(id);
          list.complete(id);
          continue;
        }
        setProgress(id, 0, 1, 'running');
        this.lastNodeId = id;
        toClient('executing', { node: id, display_node: id, prompt_id: promptId });
        const isSampler = SAMPLERS.has(classType);
        if (isSampler) {
          const steps = samplerSteps(prompt, id);
          for (let step = 1; step <= steps; step++) {
            await this.wait(job, this.config.stepDelayMs);
            this.checkInterrupt(job, promptId, id, classType, executed);
            this.step(id, promptId, clientId, step, steps, setProgress);
          }
        } else {
          await this.wait(job, 0);
          this.checkInterrupt(job, promptId, id, classType, executed);
        }
        const ctx = nodeCtx(id);
        const failure = this.failures.get(id) ?? this.failures.get(classType);
        let result: CacheEntry;
        try {
          if (failure) {
            throw new NodeRuntimeError(
              failure.message,
              failure.type,
              runtimeTraceback([
                `  File "/srv/ComfyUI/nodes.py", line 1, in ${classType}\n    raise ${failure.type}(${JSON.stringify(failure.message)})\n`,
              ]),
            );
          }
          result = await runNode(ctx);
        } catch (e) {
          if (job.cancelled) throw new Stop({ kind: 'cancelled' });
          const err =
            e instanceof NodeRuntimeError
              ? e
              : new NodeRuntimeError(String(e), 'Exception', runtimeTraceback([]));
          throw new Stop({
            kind: 'error',
            data: {
              prompt_id: promptId,
              node_id: id,
              node_type: classType,
              executed: [...executed],
              exception_message: `${err.message}\n`,
              exception_type: err.exceptionType,
              traceback: err.traceback,
              current_inputs: currentInputs(ctx),
              current_outputs: Object.keys(prompt),
            },
          });
        }
        if (job.cancelled) throw new Stop({ kind: 'cancelled' });
        values.set(id, result.outputs);
        this.cache.set(sigs.get(id) ?? id, result);
        executed.push(id);
        if (result.ui) {
          recordUi(id, result.ui);
          toClient('executed', { node: id, display_node: id, output: result.ui, prompt_id: promptId });
        }
        finish(id);
        list.complete(id);
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      ended = e.ended;
    }
    if (ended?.kind === 'cancelled' || job.cancelled) return;

    if (ended?.kind === 'error') addMessage('execution_error', ended.data, false);
    else if (ended?.kind === 'interrupted') addMessage('execution_interrupted', ended.data, true);
    else addMessage('execution_success', { prompt_id: promptId }, false);

    const historyExtra = Object.fromEntries(
      Object.entries(extraData).filter(([k]) => !SENSITIVE_EXTRA_DATA_KEYS.includes(k)),
    );
    const entry: HistoryEntry = {
      prompt: [job.item[0], promptId, prompt, historyExtra, outputs],
      outputs: uiOutputs,
      status: { status_str: ended ? 'error' : 'success', completed: !ended, messages },
      meta,
    };
    this.job = undefined;
    this.lastNodeId = null;
    this.queue.taskDone(entry);
    toClient('executing', { node: null, prompt_id: promptId });
    if (this.freeMemoryPending) {
      this.freeMemoryPending = false;
      this.cache.clear();
    }
  }

  private checkInterrupt(
    job: Job,
    promptId: string,
    id: string,
    classType: string,
    executed: string[],
  ): void {
    if (job.cancelled) throw new Stop({ kind: 'cancelled' });
    if (!this.interruptFlag) return;
    this.interruptFlag = false;
    throw new Stop({
      kind: 'interrupted',
      data: { prompt_id: promptId, node_id: id, node_type: classType, executed: [...executed] },
    });
  }

  private step(
    id: string,
    promptId: string,
    clientId: string | null,
    value: number,
    max: number,
    setProgress: (id: string, value: number, max: number, state: string) => void,
  ): void {
    setProgress(id, value, max, 'running');
    const progress = { value, max, prompt_id: promptId, node: id };
    if (!this.config.previews) {
      this.hub.send('progress', progress, clientId);
      return;
    }
    const jpeg = this.config.previewJpeg;
    if (this.hub.supportsPreviewMetadata(clientId)) {
      const metadata = {
        node_id: id,
        prompt_id: promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
        image_type: 'image/jpeg' as const,
      };
      this.hub.sendBinary(previewWithMetadataFrame(jpeg, metadata), clientId);
      this.hub.send('progress', progress, clientId);
    } else {
      this.hub.send('progress', progress, clientId);
      this.hub.sendBinary(previewFrame(jpeg), clientId);
    }
  }

  running(): QueueItem | null {
    return this.queue.running;
  }
}
