/**
 * Contract: jobs and their privacy spend. The spend is the record that protects the privacy
 * guarantee across crashes, so its monotonicity is tested from every side.
 */
import { expect } from 'chai';
import type { FedrecStore, JobStatus } from '../fedrec-store.ts';
import { expectFedrecError, isoTimestamp } from './store-fixtures.ts';

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
