import type { BackendPool } from '../pool/backend-pool.ts';
import { budgetCommunity, type CloudBudgetLedger } from '../quota/cloud-budget.ts';
import type { QuotaLedger } from '../quota/quota-ledger.ts';

/** A person's quota as it stands (tier, slots used, window left, cloud budget left): read only. */
export type QuotaReport = Pick<QuotaLedger, 'usage'>;

/** The ledger's report, with what is left of each budgeted backend's budget when `cloud` is given. */
export function quotaReport(
  ledger: QuotaReport,
  cloud?: { pool: Pick<BackendPool, 'backends'>; budget: CloudBudgetLedger },
): QuotaReport {
  return {
    async usage(requester) {
      const usage = await ledger.usage(requester);
      const left = (cloud?.pool.backends ?? [])
        .filter((b) => b.budget)
        .flatMap((b) => cloud!.budget.remaining(b.name, b.budget, budgetCommunity(requester)));
      return left.length > 0 ? { ...usage, cloud: left } : usage;
    },
  };
}
