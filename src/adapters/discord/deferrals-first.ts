import { backgroundTimeout, type Clock } from '#shared/clock.ts';

/** The longest the work after a deferral waits for other deferrals (Discord's deadline is 3 s). */
const MAX_WAIT_MS = 1000;

/**
 * Acknowledgements before everything else, across interactions: the work that follows a deferral
 * (parsing the prompt, quotas, submitting the job, a first status edit) waits while other interactions'
 * deferrals are still in flight. In a burst of 500 /imagine, the earliest ones' jobs otherwise took the
 * CPU that the later ones needed to answer within Discord's 3 seconds; the jobs lose nothing by starting
 * a few hundred milliseconds later. Never more than `MAX_WAIT_MS`, so steady traffic cannot starve them.
 */
export class DeferralsFirst {
  readonly #clock: Clock;
  #inFlight = 0;
  #waiting: (() => void)[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Sends a deferral (or any first response), counted while it is in flight. */
  async send<T>(deferral: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await deferral();
    } finally {
      if (--this.#inFlight === 0) for (const go of this.#waiting.splice(0)) go();
    }
  }

  /** Resolves when no deferral is in flight, or after `MAX_WAIT_MS`. */
  settled(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const go = () => {
        this.#clock.clearTimeout(timer);
        const at = this.#waiting.indexOf(go);
        if (at >= 0) this.#waiting.splice(at, 1);
        resolve();
      };
      const timer = backgroundTimeout(this.#clock, go, MAX_WAIT_MS);
      this.#waiting.push(go);
    });
  }
}
