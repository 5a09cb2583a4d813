import { type Clock, every } from '../engine-clock.ts';
import { QueueView } from './queue-view.ts';

/** The look at the shared queue that no event prompts: waits grow with time, a lost message is made up for. */
const LOOK_AGAIN_MS = 1000;

/**
 * When this process reads its copy of the shared queue's fair order again and when it runs a dispatch
 * round (`changed`), in one place: a job queued or a slot freed anywhere starts a round at once; a new
 * copy of the order that differs from the last starts one too, since overflow picks its jobs from that
 * copy (a job queued a moment ago is not in it yet); and every second of the engine's clock, both.
 * Rounds are coalesced by the pump, and a copy read again unchanged starts none, so nothing loops.
 */
export class QueueWatch {
  readonly view: QueueView;
  readonly #changed: () => void;
  readonly #clock: Clock;
  #stopLooking: (() => void) | undefined;
  #closed = false;

  /** `read`: the `SNAPSHOT` script's reply; `changed`: runs a dispatch round (coalesced by the caller). */
  constructor(read: () => Promise<string[]>, changed: () => void, clock: Clock) {
    this.#changed = () => {
      if (!this.#closed) changed();
    };
    this.#clock = clock;
    this.view = new QueueView(read, this.#changed);
  }

  start(): void {
    this.#stopLooking = every(this.#clock, LOOK_AGAIN_MS, () => this.#lookAgain());
    this.view.refreshSoon();
  }

  /** A message on the queue's channel (`e` queued, `r` removed, `t` taken, `f` a slot freed). */
  heard(kind: string): void {
    if (kind === 'e' || kind === 'r' || kind === 't') this.view.refreshSoon();
    if (kind === 'e' || kind === 'f') this.#changed();
  }

  /** Back after Redis restarted: what was announced meanwhile is lost. */
  reconnected(): void {
    this.#lookAgain();
  }

  close(): void {
    this.#closed = true;
    this.#stopLooking?.();
    this.view.close();
  }

  #lookAgain(): void {
    if (this.#closed) return;
    this.view.refreshSoon();
    this.#changed();
  }
}
