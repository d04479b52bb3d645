/**
 * Contract: the deployment ledger's durable form. Every job's latest spend lists in job creation
 * order (the ledger composes them), and the operator's lifetime budget is one record that can be
 * set, replaced and removed.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { expectFedrecError } from './store-fixtures.ts';

export function describePrivacyLedgerContract(store: () => FedrecStore): void {
  describe('privacy ledger', () => {
    const accountant = { rounds: [{ q: 0.1, sigma: 1.1, steps: 2 }] };

    it('lists every job that spent, in creation order, each with its latest spend', async () => {
      for (const id of ['job-b', 'job-a', 'job-c']) await store().createJob({ id, config: {} });
      expect(await store().listPrivacySpends()).to.deep.equal([]);
      await store().recordPrivacySpend({ jobId: 'job-a', round: 1, epsilon: 0.5, delta: 1e-6, accountant });
      await store().recordPrivacySpend({ jobId: 'job-b', round: 1, epsilon: 0.2, delta: 1e-6, accountant });
      await store().recordPrivacySpend({ jobId: 'job-a', round: 2, epsilon: 0.7, delta: 1e-6, accountant });
      const spends = await store().listPrivacySpends();
      expect(spends.map((s) => [s.jobId, s.round, s.epsilon])).to.deep.equal([
        ['job-b', 1, 0.2],
        ['job-a', 2, 0.7],
      ]);
      expect(spends[1].accountant).to.deep.equal(accountant);
    });

    it('has no lifetime budget until one is set; it can be replaced and removed', async () => {
      expect(await store().getPrivacyBudget()).to.equal(undefined);
      await store().setPrivacyBudget({ epsilon: 10, delta: 1e-6 });
      expect(await store().getPrivacyBudget()).to.deep.equal({ epsilon: 10, delta: 1e-6 });
      await store().setPrivacyBudget({ epsilon: 12.5, delta: 1e-7 });
      expect(await store().getPrivacyBudget()).to.deep.equal({ epsilon: 12.5, delta: 1e-7 });
      await store().setPrivacyBudget(null);
      expect(await store().getPrivacyBudget()).to.equal(undefined);
    });

    it('rejects a budget that is not a valid (ε, δ), keeping the one it had', async () => {
      await store().setPrivacyBudget({ epsilon: 4, delta: 1e-6 });
      for (const [epsilon, delta] of [[0, 1e-6], [-1, 1e-6], [NaN, 1e-6], [Infinity, 1e-6], [4, 0], [4, 1]]) {
        await expectFedrecError(store().setPrivacyBudget({ epsilon, delta }), 'invalid-input');
      }
      expect(await store().getPrivacyBudget()).to.deep.equal({ epsilon: 4, delta: 1e-6 });
    });
  });
}
