/**
 * Contract: jobs and their privacy spend. The spend is the record that protects the privacy
 * guarantee across crashes, so its monotonicity is tested from every side.
 */
import { expect } from 'chai';
import type { FedrecStore, JobStatus } from '../fedrec-store.ts';
import { bitsOf, expectFedrecError, isoTimestamp, makeVersion, makeWeights } from './store-fixtures.ts';

const config = { rounds: 10, privacy: { clipNorm: 1, noiseMultiplier: 1.1, delta: 1e-5 }, optimizer: 'fedavg' };

export function describeJobsContract(store: () => FedrecStore): void {
  describe('jobs', () => {
    it('creates a job in status "created" with no completed rounds, and reads it back', async () => {
      const created = await store().createJob({ id: 'job-1', config });
      expect(created).to.deep.include({ id: 'job-1', config, status: 'created', statusDetail: '', completedRounds: 0 });
      expect(created.createdAt).to.match(isoTimestamp);
      expect(created.updatedAt).to.equal(created.createdAt);
      expect(await store().getJob('job-1')).to.deep.equal(created);
      expect(await store().getJob('nope')).to.equal(undefined);
    });

    it('rejects a second job with the same id, and an empty id', async () => {
      await store().createJob({ id: 'job-1', config });
      await expectFedrecError(store().createJob({ id: 'job-1', config: {} }), 'conflict', /already exists/);
      expect((await store().getJob('job-1'))!.config).to.deep.equal(config);
      await expectFedrecError(store().createJob({ id: '', config }), 'invalid-input');
    });

    it('lists jobs in creation order', async () => {
      for (const id of ['b', 'a', 'c']) await store().createJob({ id, config: { id } });
      expect((await store().listJobs()).map((job) => job.id)).to.deep.equal(['b', 'a', 'c']);
    });

    it('sets status and detail, resetting the detail when none is given', async () => {
      const created = await store().createJob({ id: 'job-1', config });
      await store().setJobStatus('job-1', 'paused', 'operator asked');
      const paused = (await store().getJob('job-1'))!;
      expect(paused).to.deep.include({ status: 'paused', statusDetail: 'operator asked' });
      expect(paused.updatedAt >= created.updatedAt).to.equal(true);
      await store().setJobStatus('job-1', 'running');
      expect(await store().getJob('job-1')).to.deep.include({ status: 'running', statusDetail: '' });
      for (const status of ['failed', 'cancelled'] as const) {
        await store().setJobStatus('job-1', status, `${status} for a reason`);
        expect(await store().getJob('job-1')).to.deep.include({ status, statusDetail: `${status} for a reason` });
      }
    });

    it('rejects a status change of a missing job, or to an unknown status', async () => {
      await expectFedrecError(store().setJobStatus('nope', 'running'), 'not-found');
      await store().createJob({ id: 'job-1', config });
      await expectFedrecError(store().setJobStatus('job-1', 'exploded' as JobStatus), 'invalid-input');
      expect((await store().getJob('job-1'))!.status).to.equal('created');
    });

    it('creates a job with its initial model version in one step: round 0, ε 0, the weights as given', async () => {
      const weights = makeWeights(4);
      await store().createJob({ id: 'job-1', config }, { version: 4, weights });
      expect(await store().latestModelVersion('job-1')).to.deep.include({ version: 4, jobId: 'job-1', round: 0, metrics: {}, epsilon: 0 });
      expect(bitsOf((await store().getModelVersion(4))!.weights.values)).to.deep.equal(bitsOf(weights.values));
    });

    it('creates neither the job nor its version when the version is taken or the weights are malformed', async () => {
      await store().saveModelVersion(makeVersion(4), makeWeights(4));
      await expectFedrecError(store().createJob({ id: 'job-1', config }, { version: 4, weights: makeWeights(4, 9) }), 'conflict', /model version 4 already exists/);
      expect(await store().getJob('job-1'), 'no job without its version').to.equal(undefined);
      expect(bitsOf((await store().getModelVersion(4))!.weights.values)).to.deep.equal(bitsOf(makeWeights(4).values));
      const malformed = makeWeights(5);
      malformed.values = malformed.values.subarray(1);
      await expectFedrecError(store().createJob({ id: 'job-1', config }, { version: 5, weights: malformed }), 'invalid-input');
      expect(await store().getJob('job-1')).to.equal(undefined);
      expect(await store().getModelVersion(5)).to.equal(undefined);
      // The id is still free: the same job with a free version goes through.
      await store().createJob({ id: 'job-1', config }, { version: 6, weights: makeWeights(6) });
      expect((await store().latestModelVersion('job-1'))!.version).to.equal(6);
    });

    it('sets a status and appends its audit entry together; an invalid entry changes neither', async () => {
      await store().createJob({ id: 'job-1', config });
      await store().setJobStatus('job-1', 'paused', 'operator asked', { actor: 'system', action: 'job.paused', target: 'job-1', details: { detail: 'operator asked' } });
      expect(await store().getJob('job-1')).to.deep.include({ status: 'paused', statusDetail: 'operator asked' });
      const [entry] = await store().listAudit({ target: 'job-1' });
      expect(entry).to.deep.include({ seq: 1, actor: 'system', action: 'job.paused', details: { detail: 'operator asked' } });
      const undotted = { actor: 'system', action: 'failed', target: 'job-1', details: { detail: 'boom' } };
      await expectFedrecError(store().setJobStatus('job-1', 'failed', 'boom', undotted), 'invalid-input');
      expect(await store().getJob('job-1'), 'no status without its entry').to.deep.include({ status: 'paused', statusDetail: 'operator asked' });
      await expectFedrecError(store().setJobStatus('nope', 'failed', '', { actor: 'system', action: 'job.failed', target: 'nope', details: {} }), 'not-found');
      expect((await store().listAudit()).length, 'no entry without its status').to.equal(1);
    });

    it('hands out copies: mutating a returned config changes nothing stored', async () => {
      const created = await store().createJob({ id: 'job-1', config });
      (created.config.privacy as { clipNorm: number }).clipNorm = 99;
      expect((await store().getJob('job-1'))!.config).to.deep.equal(config);
    });
  });

  describe('privacy spend', () => {
    const accountant = { rounds: [{ q: 0.01, sigma: 1.1, steps: 3 }] };

    beforeEach(async () => {
      await store().createJob({ id: 'job-1', config });
    });

    it('is undefined before the first spend, then reads back what was recorded', async () => {
      expect(await store().getPrivacySpend('job-1')).to.equal(undefined);
      await store().recordPrivacySpend({ jobId: 'job-1', round: 3, epsilon: 0.71, delta: 1e-5, accountant });
      expect(await store().getPrivacySpend('job-1')).to.deep.equal({ jobId: 'job-1', round: 3, epsilon: 0.71, delta: 1e-5, accountant });
    });

    it('moves forward, accepts a retry of the same round, and rejects an earlier round', async () => {
      await store().recordPrivacySpend({ jobId: 'job-1', round: 3, epsilon: 0.7, delta: 1e-5, accountant });
      await store().recordPrivacySpend({ jobId: 'job-1', round: 4, epsilon: 0.8, delta: 1e-5, accountant });
      await store().recordPrivacySpend({ jobId: 'job-1', round: 4, epsilon: 0.81, delta: 1e-5, accountant });
      const earlier = { jobId: 'job-1', round: 2, epsilon: 0.1, delta: 1e-5, accountant };
      await expectFedrecError(store().recordPrivacySpend(earlier), 'conflict', /round 4/);
      expect(await store().getPrivacySpend('job-1')).to.deep.include({ round: 4, epsilon: 0.81 });
    });

    it('keeps one spend per job', async () => {
      await store().createJob({ id: 'job-2', config });
      await store().recordPrivacySpend({ jobId: 'job-1', round: 5, epsilon: 1, delta: 1e-5, accountant });
      const second = { jobId: 'job-2', round: 1, epsilon: 0.2, delta: 1e-6, accountant: null };
      await store().recordPrivacySpend(second);
      expect(await store().getPrivacySpend('job-1')).to.deep.include({ round: 5, epsilon: 1 });
      expect(await store().getPrivacySpend('job-2')).to.deep.equal(second);
    });

    it('rejects a spend of a missing job, or one that is not a valid (ε, δ)', async () => {
      await expectFedrecError(store().recordPrivacySpend({ jobId: 'nope', round: 1, epsilon: 0.1, delta: 1e-5, accountant }), 'not-found');
      for (const [epsilon, delta] of [[NaN, 1e-5], [-1, 1e-5], [0.1, 1], [0.1, -1e-5]]) {
        await expectFedrecError(store().recordPrivacySpend({ jobId: 'job-1', round: 1, epsilon, delta, accountant }), 'invalid-input');
      }
      expect(await store().getPrivacySpend('job-1')).to.equal(undefined);
    });
  });
}
