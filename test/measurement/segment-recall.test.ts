/**
 * Recall@10 by shopper segment in the fairness report (issue 14 point 4), over HTTP on a SQLite
 * file: the figures come from the serving version's job — its latest round at or before the
 * version's round that released per-segment figures — and the largest gap between segments is
 * reported beside the exposure gap. The round metrics are written here by hand in the form the
 * coordinator stores them (server/privacy/segment-release.ts), so every figure is known.
 */
import { expect } from 'chai';
import { cloneWeights } from '../../models/weights/model-weights.ts';
import { activeWeights } from '../api/serving-harness.ts';
import { startGoverned, type Governed } from '../governance/governance-harness.ts';

describe('fairness report: recall@10 by shopper segment from the serving version’s federated evaluation', () => {
  let g: Governed;
  before(async () => {
    g = await startGoverned();
  });
  after(() => g.close());

  const fairness = async () => {
    const { status, body } = await g.call('GET', '/v1/reports/fairness', g.keys.merchant);
    expect(status, JSON.stringify(body)).to.equal(200);
    return body;
  };

  it('says why while nothing serves or the serving job released no segments, then reports the latest segmented round and its gap', async () => {
    expect((await fairness()).segments).to.deep.equal({ available: false, reason: 'no model version is serving' });

    // The governed job's rounds released overall recall only.
    expect((await g.call('POST', '/v1/models/3/approve', g.keys.approver, { reason: 'fit' })).status).to.equal(200);
    expect((await fairness()).segments).to.deep.equal({ available: false, reason: `job ${g.jobId} released no evaluation by shopper segment up to round 3` });

    // A second job: rounds 1 and 2 released segments, round 3 did not evaluate.
    const jobId = 'job-segments';
    await g.store.createJob({ id: jobId, config: {} });
    const bands = (n: number, o: number, r: number) => ({
      'recall@10:new': n, 'ndcg@10:new': n / 2, 'evaluated:new': 31,
      'recall@10:occasional': o, 'ndcg@10:occasional': o / 2, 'evaluated:occasional': 140,
      'recall@10:regular': r, 'ndcg@10:regular': r / 2, 'evaluated:regular': 229,
    });
    const metrics = [{ loss: 1, 'recall@10': 0.3, 'ndcg@10': 0.2, ...bands(0.05, 0.3, 0.4) }, { loss: 1, 'recall@10': 0.35, 'ndcg@10': 0.2, ...bands(0.12, 0.33, 0.41) }, { loss: 1 }];
    for (const [i, m] of metrics.entries()) {
      const at = new Date().toISOString();
      await g.store.completeRound({ jobId, round: i + 1, baseVersion: 3 + i, releasedVersion: 4 + i, clients: 4, shoppers: 100, metrics: m, epsilon: 4 + i, delta: 1e-6, startedAt: at, finishedAt: at }, cloneWeights(activeWeights(g.world, 20 + i), 4 + i));
    }
    expect((await g.call('POST', '/v1/models/6/approve', g.keys.approver, { reason: 'fit' })).status).to.equal(200);
    const report = await fairness();
    expect(report.segments).to.deep.equal({
      available: true,
      source: 'dp-federated-evaluation',
      version: 6,
      jobId,
      round: 2,
      segments: [
        { segment: 'new', 'recall@10': 0.12, 'ndcg@10': 0.06, evaluated: 31 },
        { segment: 'occasional', 'recall@10': 0.33, 'ndcg@10': 0.165, evaluated: 140 },
        { segment: 'regular', 'recall@10': 0.41, 'ndcg@10': 0.205, evaluated: 229 },
      ],
      // 0.41 − 0.12, beside the exposure gap (report.largestGap), not merged into it.
      largestGap: { highest: 'regular', lowest: 'new', gap: 0.41 - 0.12 },
    });
    expect(report).to.have.property('largestGap');

    // Serving version 4 (round 1): that round's own figures.
    expect((await g.call('POST', '/v1/models/4/approve', g.keys.approver, { reason: 'fit' })).status).to.equal(200);
    const first = (await fairness()).segments;
    expect(first).to.include({ version: 4, round: 1 });
    expect(first.largestGap).to.deep.equal({ highest: 'regular', lowest: 'new', gap: 0.4 - 0.05 });

    // The scorecard carries the same figures, and its markdown a line for the committee.
    const card = await g.call('GET', '/v1/reports/scorecard?format=md', g.keys.merchant);
    expect(card.status, JSON.stringify(card.body)).to.equal(200);
    expect(card.body.segmentRecall).to.deep.equal(first);
    expect(card.body.markdown).to.include('| Recall@10 by shopper segment | new 5.0%, occasional 30.0%, regular 40.0%; largest gap regular − new');
    expect(card.body.markdown).to.include('(version 4, round 1)');
  });
});
