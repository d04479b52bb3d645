/**
 * Contract: model versions. Weights must come back bit for bit (a served model must be exactly
 * the one whose privacy was accounted), including the float32 values numbers cannot carry.
 */
import { expect } from 'chai';
import type { FedrecStore } from '../fedrec-store.ts';
import { allocateWeights } from '../../../models/weights/model-weights.ts';
import { bitsOf, expectFedrecError, isoTimestamp, makeRound, makeVersion, makeWeights } from './store-fixtures.ts';

/** Float32 bit patterns a JSON or float64 detour would change or lose. */
const awkwardBits = [
  0x7fc00001, // quiet NaN with a payload
  0x7f800001, // signalling NaN
  0xffc12345, // negative NaN with a payload
  0x80000000, // -0
  0x00000001, // smallest subnormal
  0x7f800000, // +Infinity
  0xff800000, // -Infinity
  0x3f800000, // 1
];

export function describeModelVersionsContract(store: () => FedrecStore): void {
  describe('model versions', () => {
    it('round-trips weights bit-exactly, NaN payloads and -0 included', async () => {
      const parameters = [{ name: 'awkward', shape: [awkwardBits.length] }, { name: 'big', shape: [1000, 64] }];
      const weights = allocateWeights(parameters, { dim: 64 }, 3);
      new Uint32Array(weights.values.buffer).set(awkwardBits);
      weights.values.subarray(awkwardBits.length).forEach((_, i, big) => (big[i] = Math.sin(i) * 1e-3));
      await store().saveModelVersion(makeVersion(3, { metrics: { 'recall@10': 0.21 } }), weights);
      const back = (await store().getModelVersion(3))!;
      expect(bitsOf(back.weights.values)).to.deep.equal(bitsOf(weights.values));
      expect(back.weights.manifest).to.deep.equal(weights.manifest);
      expect(back.record).to.deep.include(makeVersion(3, { metrics: { 'recall@10': 0.21 } }));
      expect(back.record.createdAt).to.match(isoTimestamp);
    });

    it('stores a view\'s own values, not its whole buffer, and is not changed by later mutation', async () => {
      const whole = makeWeights(1);
      const parameters = [{ name: 'items', shape: [4, 4], offset: 0, length: 16 }];
      const view = { manifest: { ...whole.manifest, size: 16, parameters }, values: whole.values.subarray(1) };
      await store().saveModelVersion(makeVersion(1), view);
      const expected = bitsOf(view.values);
      view.values.fill(0);
      const back = (await store().getModelVersion(1))!;
      expect(bitsOf(back.weights.values)).to.deep.equal(expected);
      back.weights.values.fill(0);
      expect(bitsOf((await store().getModelVersion(1))!.weights.values)).to.deep.equal(expected);
    });

    it('rejects a duplicate version, a missing job and an unknown version', async () => {
      await store().saveModelVersion(makeVersion(0), makeWeights(0));
      await expectFedrecError(store().saveModelVersion(makeVersion(0), makeWeights(0, 9)), 'conflict');
      await expectFedrecError(store().saveModelVersion(makeVersion(1, { jobId: 'nope' }), makeWeights(1)), 'not-found');
      expect(bitsOf((await store().getModelVersion(0))!.weights.values)).to.deep.equal(bitsOf(makeWeights(0).values));
      expect(await store().getModelVersion(1)).to.equal(undefined);
    });

    it('numbers versions from 0 and continues after the highest', async () => {
      expect(await store().nextModelVersion()).to.equal(0);
      await store().saveModelVersion(makeVersion(0), makeWeights(0));
      expect(await store().nextModelVersion()).to.equal(1);
      await store().saveModelVersion(makeVersion(5), makeWeights(5));
      expect(await store().nextModelVersion()).to.equal(6);
    });

    it('never hands out one number twice, even before it is saved (two jobs releasing at once)', async () => {
      const [a, b] = await Promise.all([store().nextModelVersion(), store().nextModelVersion()]);
      expect(a).to.not.equal(b);
      await store().saveModelVersion(makeVersion(b), makeWeights(b));
      await store().saveModelVersion(makeVersion(a), makeWeights(a));
      expect(await store().nextModelVersion()).to.equal(Math.max(a, b) + 1);
    });

    it('finds the latest version overall and per job, and lists all in version order', async () => {
      expect(await store().latestModelVersion()).to.equal(undefined);
      await store().createJob({ id: 'a', config: {} });
      await store().createJob({ id: 'b', config: {} });
      await store().saveModelVersion(makeVersion(0), makeWeights(0));
      await store().completeRound(makeRound('a', 1, { releasedVersion: 2 }), makeWeights(2));
      await store().completeRound(makeRound('b', 1, { releasedVersion: 1 }), makeWeights(1));
      await store().saveModelVersion(makeVersion(3), makeWeights(3));
      expect((await store().latestModelVersion())!.version).to.equal(3);
      expect(await store().latestModelVersion('a')).to.deep.include({ version: 2, jobId: 'a', round: 1, epsilon: 0.5 });
      expect((await store().latestModelVersion('b'))!.version).to.equal(1);
      expect(await store().latestModelVersion('nope')).to.equal(undefined);
      const listed = await store().listModelVersions();
      expect(listed.map((v) => [v.version, v.jobId])).to.deep.equal([[0, null], [1, 'b'], [2, 'a'], [3, null]]);
      expect(listed[0]).to.have.all.keys('version', 'jobId', 'round', 'metrics', 'epsilon', 'createdAt');
    });

    it('prunes by the retention rule in one step: never the serving, an approved, the newest N or a job\'s latest version', async () => {
      await store().createJob({ id: 'a', config: {} });
      await store().createJob({ id: 'b', config: {} });
      await store().saveModelVersion(makeVersion(0, { jobId: 'a' }), makeWeights(0));
      for (let v = 1; v <= 5; v++) await store().completeRound(makeRound('a', v, { baseVersion: v - 1, releasedVersion: v }), makeWeights(v));
      for (let v = 6; v <= 8; v++) await store().completeRound(makeRound('b', v - 5, { baseVersion: v - 1, releasedVersion: v }), makeWeights(v));
      await store().saveModelVersion(makeVersion(9), makeWeights(9));
      const approval = { by: 'key_0000000a', at: '2026-01-01T00:00:00.000Z', reason: 'ok', gates: [] };
      await store().changeModelStates([{ version: 2, from: null, to: { state: 'serving', approval, kill: null, servingSince: approval.at } }], { actor: 'system', action: 'model.approved', target: '2', details: {} });
      await store().changeModelStates([{ version: 3, from: null, to: { state: 'retired', approval, kill: null, servingSince: approval.at } }], { actor: 'system', action: 'model.approved', target: '3', details: {} });
      // Kept: 2 serving, 3 approved (retired), 8 and 9 the newest two, 5 job a's latest (8 is job b's).
      expect(await store().pruneModelVersions(2)).to.deep.equal([0, 1, 4, 6, 7]);
      for (const v of [0, 1, 4, 6, 7]) expect(await store().getModelVersion(v), `version ${v} pruned`).to.equal(undefined);
      for (const v of [2, 3, 5, 8, 9]) expect(bitsOf((await store().getModelVersion(v))!.weights.values), `version ${v} kept`).to.deep.equal(bitsOf(makeWeights(v).values));
      expect((await store().latestModelVersion('a'))!.version).to.equal(5);
      expect((await store().listRounds('a')).map((r) => r.releasedVersion), 'the rounds still name their versions').to.deep.equal([1, 2, 3, 4, 5]);
      expect(await store().pruneModelVersions(2), 'pruning again finds nothing').to.deep.equal([]);
      expect(await store().nextModelVersion(), 'a pruned number is never handed out again').to.equal(10);
      await expectFedrecError(store().pruneModelVersions(0), 'invalid-input', /keepRecent must be a positive integer/);
    });
  });
}
