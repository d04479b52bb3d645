/**
 * Contract: completing a round. The model version, the round record and the job's
 * completedRounds must appear together or not at all, and a completed round is never rewritten.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { bitsOf, expectFedrecError, makeRound, makeVersion, makeWeights } from './store-fixtures.ts';

export function describeRoundsContract(store: () => FedrecStore): void {
  describe('completeRound', () => {
    beforeEach(async () => {
      await store().createJob({ id: 'job-1', config: { rounds: 3 } });
      await store().saveModelVersion(makeVersion(0, { jobId: 'job-1' }), makeWeights(0));
    });

    it('stores the released model version, the round and the job\'s completedRounds together', async () => {
      const round = makeRound('job-1', 1);
      await store().completeRound(round, makeWeights(1));
      expect(await store().listRounds('job-1')).to.deep.equal([round]);
      expect((await store().getJob('job-1'))!.completedRounds).to.equal(1);
      const released = (await store().getModelVersion(1))!;
      expect(released.record).to.deep.include({ version: 1, jobId: 'job-1', round: 1, metrics: round.metrics, epsilon: round.epsilon });
      expect(bitsOf(released.weights.values)).to.deep.equal(bitsOf(makeWeights(1).values));
    });

    it('keeps the server-optimizer state given with a round, bit for bit, replacing the one before; a refused round writes none', async () => {
      const size = makeWeights(1).values.length;
      const state = (seed: number) => Float32Array.from({ length: 2 * size }, (_, i) => (i % 7 === 0 ? -0 : Math.fround((seed + i) / 3)));
      expect(await store().getOptimizerState('job-1')).to.equal(undefined);
      await store().completeRound(makeRound('job-1', 1), makeWeights(1), state(1));
      let stored = (await store().getOptimizerState('job-1'))!;
      expect(stored.version).to.equal(1);
      expect(bitsOf(stored.state)).to.deep.equal(bitsOf(state(1)));
      await store().completeRound(makeRound('job-1', 2, { baseVersion: 1, releasedVersion: 2 }), makeWeights(2), state(2));
      stored = (await store().getOptimizerState('job-1'))!;
      expect([stored.version, bitsOf(stored.state)]).to.deep.equal([2, bitsOf(state(2))]);
      // A round without one (FedAvg) leaves the job's state; a refused round writes none.
      await store().completeRound(makeRound('job-1', 3, { baseVersion: 2, releasedVersion: 3 }), makeWeights(3));
      await expectFedrecError(store().completeRound(makeRound('job-1', 3, { baseVersion: 2, releasedVersion: 4 }), makeWeights(4), state(4)), 'conflict');
      stored = (await store().getOptimizerState('job-1'))!;
      expect([stored.version, bitsOf(stored.state)]).to.deep.equal([2, bitsOf(state(2))]);
      // Not a float32 state, non-finite values or more than 4 per parameter: refused, and nothing of the round is written.
      for (const bad of [new Float32Array([NaN]), new Float32Array(4 * size + 1), [1, 2] as unknown as Float32Array]) {
        await expectFedrecError(store().completeRound(makeRound('job-1', 4, { baseVersion: 3, releasedVersion: 5 }), makeWeights(5), bad), 'invalid-input');
      }
      expect((await store().listRounds('job-1')).map((r) => r.round)).to.deep.equal([1, 2, 3]);
      expect(await store().getOptimizerState('nope')).to.equal(undefined);
    });

    it('lists rounds in round order, per job', async () => {
      await store().createJob({ id: 'job-2', config: {} });
      await store().completeRound(makeRound('job-1', 2, { releasedVersion: 12 }), makeWeights(12));
      await store().completeRound(makeRound('job-2', 1, { releasedVersion: 21 }), makeWeights(21));
      await store().completeRound(makeRound('job-1', 1, { releasedVersion: 11 }), makeWeights(11));
      expect((await store().listRounds('job-1')).map((r) => [r.round, r.releasedVersion])).to.deep.equal([[1, 11], [2, 12]]);
      expect((await store().listRounds('job-2')).map((r) => r.round)).to.deep.equal([1]);
      expect(await store().listRounds('nope')).to.deep.equal([]);
      // A late earlier round never makes the job look less advanced.
      expect((await store().getJob('job-1'))!.completedRounds).to.equal(2);
    });

    it('rejects a round already completed, leaving the first one and writing nothing else', async () => {
      const first = makeRound('job-1', 1);
      await store().completeRound(first, makeWeights(1));
      const updatedAt = (await store().getJob('job-1'))!.updatedAt;
      const again = makeRound('job-1', 1, { releasedVersion: 2, clients: 99 });
      await expectFedrecError(store().completeRound(again, makeWeights(2)), 'conflict', /already completed/);
      expect(await store().listRounds('job-1')).to.deep.equal([first]);
      expect(await store().getModelVersion(2)).to.equal(undefined);
      expect(await store().getJob('job-1')).to.deep.include({ completedRounds: 1, updatedAt });
    });

    it('rejects a released version that already exists, writing no round', async () => {
      const reused = makeRound('job-1', 1, { releasedVersion: 0 });
      await expectFedrecError(store().completeRound(reused, makeWeights(0, 7)), 'conflict', /version 0/);
      expect(await store().listRounds('job-1')).to.deep.equal([]);
      expect((await store().getJob('job-1'))!.completedRounds).to.equal(0);
      expect(bitsOf((await store().getModelVersion(0))!.weights.values)).to.deep.equal(bitsOf(makeWeights(0).values));
    });

    it('rejects a round of a missing job, writing no model version', async () => {
      await expectFedrecError(store().completeRound(makeRound('nope', 1), makeWeights(1)), 'not-found');
      expect(await store().getModelVersion(1)).to.equal(undefined);
      expect(await store().nextModelVersion()).to.equal(1);
    });

    it('rejects malformed rounds and weights whose values do not match their manifest', async () => {
      await expectFedrecError(store().completeRound(makeRound('job-1', 0), makeWeights(1)), 'invalid-input');
      await expectFedrecError(store().completeRound(makeRound('job-1', 1, { metrics: { loss: NaN } }), makeWeights(1)), 'invalid-input');
      const short = makeWeights(1);
      short.values = short.values.subarray(1);
      await expectFedrecError(store().completeRound(makeRound('job-1', 1), short), 'invalid-input', /16 values, manifest says 17/);
      expect(await store().listRounds('job-1')).to.deep.equal([]);
      expect(await store().getModelVersion(1)).to.equal(undefined);
    });
  });
}
