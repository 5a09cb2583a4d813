import type { QuotaLedger } from '../quota/quota-ledger.ts';

/** A person's quota as it stands (tier, slots used, window left): read only. */
export type QuotaReport = Pick<QuotaLedger, 'usage'>;

export function quotaReport(ledger: QuotaReport): QuotaReport {
  return { usage: (requester) => ledger.usage(requester) };
}
