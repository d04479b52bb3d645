import { expect } from 'chai';
import { jobView } from '../../server/rounds/index.ts';
import { startFederation, waitFor, type Federation } from '../helpers/federation-harness.ts';

/** A running job that reaches the deployment's lifetime budget stops as budget-exhausted, and the ledger never exceeds it. */
describe('lifetime budget reached by a running job', function () {
  this.timeout(60_000);
  let federation: Federation | undefined;
  after(async () => federation?.close());

  it('stops at the first round whose releases would exceed it, releasing nothing past it', async () => {
    federation = await startFederation();
    const { coordinator } = federation;
    const config = { rounds: 6, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 20_000, privacy: { mode: 'dp', clipNorm: 1, noiseMultiplier: 1.5, delta: 1e-5 } };
    const { jobId, done } = await coordinator.startJob(config, federation.model.weights);
    await waitFor(() => federation!.rounds.length >= 1);
    // The operator lowers the budget to what is spent now (plus a hair): no further round fits.
    const spent = (await coordinator.privacyLedger()).spent.epsilon!;
    const budget = { epsilon: spent + 1e-6, delta: 1e-6 };
    await coordinator.setPrivacyBudget(budget);
    expect(await done).to.equal('budget-exhausted');
    const view = (await jobView(federation.store, jobId))!;
    expect(view.status).to.equal('budget-exhausted');
    expect(view.statusDetail).to.match(/lifetime ε = /);
    expect(view.completedRounds).to.be.below(6);
    const ledger = await coordinator.privacyLedger();
    expect(ledger.spent.epsilon!).to.be.at.most(budget.epsilon);
    // Every round the store holds is accounted in the ledger's figure for the job.
    const persisted = await federation.store.getPrivacySpend(jobId);
    expect(persisted!.round).to.equal(view.completedRounds);
  });
});
