/** What one platform call reported: done, or the platform asked to wait (HTTP 429 `retry_after`). */
export type LaneOutcome = { retryAfterMs?: number } | undefined;

interface Pending {
  /** Whether the call is an edit (spaced by the interval); asked when it is about to run. */
  edit: boolean | (() => boolean);
  run: () => Promise<LaneOutcome>;
  done: (() => void)[];
}

const isEdit = (p: Pending): boolean => (typeof p.edit === 'function' ? p.edit() : p.edit);

interface Lane {
  intervalMs: number;
  lastEditAt: number;
  pausedUntil: number;
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
  /** slot (a message) → its latest pending operation; insertion order gives round-robin. */
  pending: Map<string, Pending>;
}

/**
 * Rate-limited status messages for chat platforms, one lane per chat: one call in flight per chat,
 * edits at least `intervalMs` apart per chat (sends are not spaced), latest-wins per message (a newer
 * state replaces the pending one, so a 429 never replays stale states), and a pause on 429 that every
 * call to that chat respects (`ready`).
 *
 * @example
 * lanes.submit(chatId, jobId, { edit: true, intervalMs: 3000, run: () => api.edit(...) });
 */
export class EditLanes {
  readonly #lanes = new Map<string, Lane>();
  #closed = false;

  /** Queues the latest operation for a slot; resolves once it ran or a newer one replaced it. */
  submit(
    lane: string,
    slot: string,
    op: { edit: boolean | (() => boolean); intervalMs: number; run: () => Promise<LaneOutcome> },
  ): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const l = this.#lane(lane);
    l.intervalMs = op.intervalMs;
    const previous = l.pending.get(slot);
    return new Promise<void>((resolve) => {
      // A replaced operation counts as done: its state is superseded by this one.
      const done = [...(previous?.done ?? []), resolve];
      l.pending.set(slot, { edit: op.edit, run: op.run, done });
      this.#schedule(lane, l);
    });
  }

  /** Resolves when the chat is not paused by a 429 (for sends outside the lanes, e.g. results). */
  async ready(lane: string): Promise<void> {
    const l = this.#lanes.get(lane);
    while (l && !this.#closed && l.pausedUntil > Date.now()) {
      await new Promise((r) => setTimeout(r, l.pausedUntil - Date.now()));
    }
  }

  pause(lane: string, ms: number): void {
    const l = this.#lane(lane);
    l.pausedUntil = Math.max(l.pausedUntil, Date.now() + ms);
  }

  close(): void {
    this.#closed = true;
    for (const l of this.#lanes.values()) {
      clearTimeout(l.timer);
      for (const p of l.pending.values()) for (const d of p.done) d();
      l.pending.clear();
    }
  }

  #lane(key: string): Lane {
    let l = this.#lanes.get(key);
    if (!l) {
      l = {
        intervalMs: 1000,
        lastEditAt: Number.NEGATIVE_INFINITY,
        pausedUntil: 0,
        busy: false,
        timer: undefined,
        pending: new Map(),
      };
      this.#lanes.set(key, l);
    }
    return l;
  }

  #schedule(key: string, l: Lane): void {
    if (l.busy || l.timer || this.#closed) return;
    if (l.pending.size === 0) {
      // Forget an idle chat only once its spacing and pause are over (they must outlive the queue).
      const now = Date.now();
      if (l.pausedUntil <= now && l.lastEditAt + l.intervalMs <= now) this.#lanes.delete(key);
      return;
    }
    const now = Date.now();
    const sendSlot = [...l.pending].find(([, p]) => !isEdit(p))?.[0];
    const wait = Math.max(l.pausedUntil - now, sendSlot ? 0 : l.lastEditAt + l.intervalMs - now);
    if (wait > 0) {
      l.timer = setTimeout(() => {
        l.timer = undefined;
        this.#schedule(key, l);
      }, wait);
      return;
    }
    const slot = sendSlot ?? (l.pending.keys().next().value as string);
    const op = l.pending.get(slot)!;
    l.pending.delete(slot);
    l.busy = true;
    const edit = isEdit(op);
    if (edit) l.lastEditAt = now;
    void op
      .run()
      .catch(() => undefined)
      .then((outcome) => {
        l.busy = false;
        // Spacing counts from the answer: the platform saw this edit no later than now.
        if (edit) l.lastEditAt = Date.now();
        if (outcome?.retryAfterMs !== undefined) {
          this.pause(key, outcome.retryAfterMs);
          // Retry with the latest state: a newer operation for the slot wins over this one.
          const newer = l.pending.get(slot);
          l.pending.set(slot, newer ? { ...newer, done: [...op.done, ...newer.done] } : op);
        } else {
          for (const d of op.done) d();
        }
        this.#schedule(key, l);
      });
  }
}
