/**
 * Poisoning inside the norm bound (issue 15, point 1): 10% of the store clients (2 of 20) send
 * their honest sum's direction flipped, or kept, and scaled up to exactly their sampled shoppers × C,
 * the most the norm-anomaly check lets through. With a robust rule the final model's recall@10 stays
 * within 5% of the clean run's (the plain sum, nobody attacking); the plain sum under the same attack
 * is reported beside it. Seeded end to end (world, clients' sampling and training, the coordinator's
 * noise); DP on with C = 0.5 so the clipping and the norm bound are in force, and a small σ so the
 * comparison is about the rules, not the noise (robust rules' noise is n times the sum's).
 */
import { expect } from 'chai';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { evaluateRanker } from '../../models/evaluation/evaluate-ranker.ts';
import { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import { modelMeta } from '../../models/recommender/initialize-weights.ts';
import { modelRanker } from '../../models/recommender/model-ranker.ts';
import { startFederation } from '../helpers/federation-harness.ts';

const stores = 20;
const attackers = 2;
const clipNorm = 0.5;
const job = (aggregation: Record<string, unknown>) => ({
  rounds: 4,
  samplingRate: 0.5,
  minClients: stores,
  roundDeadlineMs: 60_000,
  roundRetries: 0,
  evaluateEvery: 4,
  localEpochs: 1,
  privacy: { mode: 'dp', clipNorm, noiseMultiplier: 0.05, delta: 1e-5 },
  aggregation,
});

type Attack = 'none' | 'sign-flip' | 'scale';

/**
 * The attacker's sum: its honest one flipped ('sign-flip'), or its largest 2% of coordinates
 * flipped with the rest zeroed ('scale', the whole allowance on the coordinates that matter),
 * scaled so its norm is shoppers × C; and it claims every shopper of its registered population as
 * sampled (≤ N and, here, under the Bernstein bound of count-bounds.ts), the largest bound it can buy.
 */
function poison(attack: Attack, population: number) {
  return (u: Record<string, unknown>): Record<string, unknown> => {
    const sum = new Float32Array(new Uint8Array(u.sum as Uint8Array).slice().buffer);
    if (attack === 'scale') {
      const cut = [...sum].map(Math.abs).sort((a, b) => b - a)[Math.ceil(sum.length * 0.02)];
      for (let i = 0; i < sum.length; i++) if (Math.abs(sum[i]) <= cut) sum[i] = 0;
    }
    const norm = Math.sqrt(sum.reduce((s, v) => s + v * v, 0));
    if (norm === 0) return u;
    const factor = (-population * clipNorm * 0.999) / norm;
    for (let i = 0; i < sum.length; i++) sum[i] *= factor;
    return { ...u, sum: new Uint8Array(sum.buffer), shoppers: population, unclipped: 0 };
  };
}

async function recallAfter(aggregation: Record<string, unknown>, attack: Attack): Promise<number> {
  const federation = await startFederation({ stores, shoppers: 1200, items: 60, connect: 0 });
  try {
    const split = leaveLastOut(federation.world.shoppers);
    for (let s = 0; s < stores; s++) {
      const population = split.train.filter((shopper) => shopper.store === s).length;
      await federation.addClient(s, s >= stores - attackers && attack !== 'none' ? { tamper: poison(attack, population) } : {});
    }
    const { jobId, done } = await federation.coordinator.startJob(job(aggregation), federation.model.weights);
    expect(await done).to.equal('completed');
    const rejected = federation.coordinator.rejections();
    expect(rejected['norm-anomaly'] ?? 0, 'the poisoned sums are inside the norm bound').to.equal(0);
    const latest = (await federation.store.latestModelVersion(jobId))!;
    const weights = (await federation.store.getModelVersion(latest.version))!.weights;
    return evaluateRanker(modelRanker(new ConceptScorer(modelMeta(weights).shape, weights, federation.model.features)), split.test)['recall@10'];
  } finally {
    await federation.close();
  }
}

describe('poisoning inside the norm bound: 2 of 20 store clients', function () {
  this.timeout(600_000);

  it('recall@10 with the median and the trimmed mean stays within 5% of the clean run; the plain sum is reported beside them', async () => {
    const clean = await recallAfter({ rule: 'sum' }, 'none');
    const rows: string[] = [`clean, plain sum: ${clean.toFixed(4)}`];
    const results: Record<string, number> = {};
    for (const attack of ['sign-flip', 'scale'] as const) {
      for (const aggregation of [{ rule: 'sum' }, { rule: 'median' }, { rule: 'trimmed-mean', trimFraction: 0.2 }]) {
        const recall = await recallAfter(aggregation, attack);
        results[`${attack} ${aggregation.rule}`] = recall;
        rows.push(`${attack}, ${aggregation.rule}: ${recall.toFixed(4)} (${((recall / clean - 1) * 100).toFixed(1)}% against clean)`);
      }
    }
    console.log(`      poisoning, recall@10 on the test split:\n        ${rows.join('\n        ')}`);
    for (const attack of ['sign-flip', 'scale']) {
      expect(results[`${attack} median`], `${attack}, median`).to.be.at.least(0.95 * clean);
      expect(results[`${attack} trimmed-mean`], `${attack}, trimmed mean`).to.be.at.least(0.95 * clean);
    }
  });
});
