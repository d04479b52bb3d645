/**
 * Rebuilds the deployment's privacy ledger from the store: the lifetime budget and every job's
 * persisted accountant. A persisted accountant may include a round whose model was never
 * released (the spend is written first), so after a crash the ledger over-reports, never under.
 */
import { PrivacyAccountant, PrivacyLedger } from '../privacy/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import type { StoredJobConfig } from './coordinator.ts';

/**
 * @example const summary = (await loadLedger(store)).summary();
 */
export async function loadLedger(store: FedrecStore, ledger = new PrivacyLedger(), isLive: (jobId: string) => boolean = () => false): Promise<PrivacyLedger> {
  const budget = await store.getPrivacyBudget();
  ledger.setBudget(budget ?? null);
  // A job running in this process already has its live accountant in the ledger.
  for (const spend of await store.listPrivacySpends()) {
    if (!isLive(spend.jobId)) ledger.track(spend.jobId, PrivacyAccountant.fromJSON(spend.accountant));
  }
  for (const job of await store.listJobs()) {
    const stored = job.config as unknown as Partial<StoredJobConfig>;
    if (stored.resolved?.mode === 'none' && job.completedRounds > 0) ledger.markUnbounded(job.id);
  }
  return ledger;
}
