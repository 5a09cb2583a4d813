import type { WindowUsage } from './types.ts';

/**
 * An allowance that refills every window: jobs per day, GPU-seconds per day. Backed by a Bottleneck
 * reservoir (`reservoir` + `reservoirRefreshAmount` + `reservoirRefreshInterval`).
 */
export interface WindowCounter {
  /** Takes `amount` if that much is left; atomic across processes sharing the counter. */
  tryTake(amount: number): Promise<boolean>;
  /** Takes `amount` unconditionally; the balance may go below zero until the window refills. */
  charge(amount: number): Promise<void>;
  /** Gives back up to `amount`, never above the limit. */
  refund(amount: number): Promise<void>;
  usage(): Promise<WindowUsage>;
  /**
   * Stops this counter's timers and forgets it in this process. Its balance survives (in the store or in
   * Redis): opening the same id again restores it. The caller must not close a counter with a call in
   * flight, nor reopen its id before `close()` settles (`QuotaLedger` ensures both).
   */
  close(): Promise<void>;
}

/** Opens counters by id; the same id always reaches the same balance (in this process, or in Redis). */
export interface WindowCounterFactory {
  open(id: string, limit: number, windowMs: number): Promise<WindowCounter>;
  /** Closes every counter still open. */
  close(): Promise<void>;
}

/**
 * Bottleneck has no "take if available" call; decrementing the reservoir is atomic in both datastores
 * (a Lua HINCRBY in Redis), so take first and give back when it went negative. Concurrent takers of the
 * last slot thus never both succeed.
 */
export async function takeFromReservoir(
  increment: (by: number) => Promise<number>,
  amount: number,
): Promise<boolean> {
  const left = await increment(-amount);
  if (left >= 0) return true;
  await increment(amount);
  return false;
}
