import { expect } from 'chai';
import { coordinatorWorkMs } from '../../server/rounds/index.ts';
import { startFederation, type Federation } from '../helpers/federation-harness.ts';

describe('round timing in the RoundSummary', function () {
  this.timeout(60_000);
  let federation: Federation | undefined;
  afterEach(async () => {
    await federation?.close();
    federation = undefined;
  });

  it('reports every part of each round, and the parts fit in its wall time', async () => {
    federation = await startFederation();
    const { done } = await federation.coordinator.startJob(
      { rounds: 2, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 30_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0 } },
      federation.model.weights,
    );
    expect(await done).to.equal('completed');
    expect(federation.rounds).to.have.length(2);
    for (const { timing } of federation.rounds) {
      expect(timing).to.not.equal(undefined);
      for (const [part, ms] of Object.entries(timing!)) expect(ms, part).to.be.at.least(0);
      // One thread: the engine's steps never overlap, so together they fit in the round.
      expect(coordinatorWorkMs(timing!)).to.be.at.most(timing!.wallMs + 1e-6);
      expect(timing!.broadcastMs + timing!.collectMs).to.be.at.most(timing!.wallMs + 1e-6);
      expect(timing!.accountMs).to.be.greaterThan(0);
      expect(timing!.persistMs).to.be.greaterThan(0);
    }
  });
});
