import type { Admission, QuotaLedger } from '../quota/quota-ledger.ts';
import { err, ok } from '#shared/result.ts';
import type { QuotaGate } from './ports.ts';
import type { JobRecord } from './types.ts';

/** The engine's view of quotas, by job id, over the Bottleneck-backed ledger. */
export class LedgerQuotaGate implements QuotaGate {
  readonly #ledger: QuotaLedger;
  readonly #admissions = new Map<string, Admission>();
  #closed = false;

  constructor(ledger: QuotaLedger) {
    this.#ledger = ledger;
  }

  async admit(jobId: string, requester: JobRecord['owner']) {
    const admitted = await this.#ledger.admit(requester, { jobId });
    if (!admitted.ok) return err(admitted.error);
    this.#admissions.set(jobId, admitted.value);
    return ok({ priority: admitted.value.priority });
  }

  /** `listener` runs when a waiting job may have become startable because another process freed a slot. */
  onCanStart(listener: () => void): void {
    this.#ledger.onCanStart(listener);
  }

  canStart(jobId: string): boolean {
    return this.#admissions.get(jobId)?.canStart() ?? true;
  }

  started(jobId: string): void {
    this.#admissions.get(jobId)?.started();
  }

  finished(jobId: string, gpuMs: number): void {
    const a = this.#admissions.get(jobId);
    this.#admissions.delete(jobId);
    if (a && !this.#closed) this.#settle(a.finished({ gpuSeconds: gpuMs / 1000 }));
  }

  released(jobId: string): void {
    const a = this.#admissions.get(jobId);
    this.#admissions.delete(jobId);
    if (a && !this.#closed) this.#settle(a.released());
  }

  /** After this, jobs still winding down no longer touch the (closing) quota store. */
  close(): void {
    this.#closed = true;
  }

  #settle(p: Promise<void>): void {
    p.catch((error) => {
      if (!this.#closed) this.#onError?.(error);
    });
  }

  #onError: ((error: unknown) => void) | undefined;
  onError(handler: (error: unknown) => void): void {
    this.#onError = handler;
  }

  async restore(jobs: readonly JobRecord[]): Promise<void> {
    this.#take(jobs);
  }

  /**
   * Jobs this process took from another (shared queue, takeover): their holds, as they stand. Shared
   * mode only, where the store counts per job and restoring adds what it does not count yet.
   */
  adopt(jobs: readonly JobRecord[]): void {
    this.#take(jobs.filter((j) => !this.#admissions.has(j.id)));
  }

  /** Another process handles the job now: its hold goes with it, untouched. */
  forget(jobId: string): void {
    this.#admissions.delete(jobId);
  }

  #take(jobs: readonly JobRecord[]): void {
    const admissions = this.#ledger.restore(
      jobs.map((j) => ({
        requester: j.owner,
        state: j.state === 'queued' ? ('waiting' as const) : ('running' as const),
        jobId: j.id,
      })),
    );
    jobs.forEach((j, i) => {
      const a = admissions[i];
      if (a) this.#admissions.set(j.id, a);
    });
  }
}
