// execution.py PromptQueue: a heapq of (number, prompt_id, ...) plus the history dict.
import type { HistoryEntry, QueueItem } from './types.ts';

const MAXIMUM_HISTORY_SIZE = 10000;

function less(a: QueueItem, b: QueueItem): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] < b[1];
}

/** Same array layout as Python's heapq, so GET /queue shows pending items in the real (unsorted) order. */
class Heap {
  items: QueueItem[] = [];

  push(item: QueueItem): void {
    this.items.push(item);
    this.siftDown(0, this.items.length - 1);
  }

  pop(): QueueItem | undefined {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return last;
    const top = this.items[0] as QueueItem;
    this.items[0] = last;
    this.siftUp(0);
    return top;
  }

  heapify(): void {
    for (let i = Math.floor(this.items.length / 2) - 1; i >= 0; i--) this.siftUp(i);
  }

  private siftDown(start: number, pos: number): void {
    const items = this.items;
    const item = items[pos] as QueueItem;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = items[parentPos] as QueueItem;
      if (!less(item, parent)) break;
      items[pos] = parent;
      pos = parentPos;
    }
    items[pos] = item;
  }

  private siftUp(pos: number): void {
    const items = this.items;
    const end = items.length;
    const start = pos;
    const item = items[pos] as QueueItem;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !less(items[child] as QueueItem, items[right] as QueueItem)) child = right;
      items[pos] = items[child] as QueueItem;
      pos = child;
      child = 2 * pos + 1;
    }
    items[pos] = item;
    this.siftDown(start, pos);
  }
}

export class PromptQueue {
  private readonly heap = new Heap();
  running: QueueItem | null = null;
  readonly history = new Map<string, HistoryEntry>();
  private readonly onChange: () => void;

  constructor(onChange: () => void) {
    this.onChange = onChange;
  }

  remaining(): number {
    return this.heap.items.length + (this.running ? 1 : 0);
  }

  pending(): QueueItem[] {
    return [...this.heap.items];
  }

  put(item: QueueItem): void {
    this.heap.push(item);
    this.onChange();
  }

  get(): QueueItem | undefined {
    if (this.running || this.heap.items.length === 0) return undefined;
    const item = this.heap.pop() as QueueItem;
    this.running = item;
    this.onChange();
    return item;
  }

  taskDone(entry: HistoryEntry): void {
    if (this.history.size >= MAXIMUM_HISTORY_SIZE) {
      const oldest = this.history.keys().next().value;
      if (oldest !== undefined) this.history.delete(oldest);
    }
    this.history.set(entry.prompt[1], entry);
    this.running = null;
    this.onChange();
  }

  wipe(): void {
    this.heap.items = [];
    this.onChange();
  }

  /** delete_queue_item: removing the last pending item goes through wipe_queue, hence two status messages. */
  delete(promptId: string): boolean {
    const i = this.heap.items.findIndex((x) => x[1] === promptId);
    if (i < 0) return false;
    if (this.heap.items.length === 1) this.wipe();
    else {
      this.heap.items.splice(i, 1);
      this.heap.heapify();
    }
    this.onChange();
    return true;
  }

  /** Everything goes, silently: used by restart(). */
  reset(): void {
    this.heap.items = [];
    this.running = null;
    this.history.clear();
  }

  getHistory(maxItems: number | null, offset: number): [string, HistoryEntry][] {
    const out: [string, HistoryEntry][] = [];
    let start = offset;
    if (start < 0 && maxItems !== null) start = this.history.size - maxItems;
    let i = 0;
    for (const [k, v] of this.history) {
      if (i >= start) {
        out.push([k, v]);
        if (maxItems !== null && out.length >= maxItems) break;
      }
      i++;
    }
    return out;
  }
}
