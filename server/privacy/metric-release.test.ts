import { expect } from 'chai';
import { FedrecError } from '../errors/index.ts';
import { effectiveNoiseMultiplier } from './adaptive-clip.ts';
import { expectClose } from './expect-close.ts';
import { combinedNoiseMultiplier, evaluationNoiseMultiplier, noiseMetricSums, releaseMetrics } from './metric-release.ts';
import { SeededRandomSource } from '../../protocol/index.ts';

describe('metric release', () => {
  it('puts N(0, (m·L)²) on the loss sum and N(0, m²) on the recall, NDCG and count sums and on each baseline sum (fixed seed)', () => {
    const privacy = { metricNoiseMultiplier: 10, lossBound: 8 };
    const random = new SeededRandomSource('metric-noise');
    const baselines = { popularity: { recall: 80, ndcg: 40 }, repeat: { recall: 210, ndcg: 150 } };
    const sums = { lossSum: 1200, evaluation: { recall: 190, ndcg: 120, shoppers: 400, baselines } };
    const n = 20_000;
    const keys = ['lossSum', 'recall', 'ndcg', 'shoppers', 'popularity.recall', 'popularity.ndcg', 'repeat.recall', 'repeat.ndcg'] as const;
    const noise = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<(typeof keys)[number], number[]>;
    for (let i = 0; i < n; i++) {
      const noised = noiseMetricSums(sums, privacy, random);
      noise.lossSum.push(noised.lossSum - sums.lossSum);
      for (const key of ['recall', 'ndcg', 'shoppers'] as const) noise[key].push(noised.evaluation![key] - sums.evaluation[key]);
      for (const name of ['popularity', 'repeat'] as const) {
        for (const metric of ['recall', 'ndcg'] as const) noise[`${name}.${metric}`].push(noised.evaluation!.baselines![name][metric] - baselines[name][metric]);
      }
    }
    const expected = { lossSum: 80, recall: 10, ndcg: 10, shoppers: 10, 'popularity.recall': 10, 'popularity.ndcg': 10, 'repeat.recall': 10, 'repeat.ndcg': 10 };
    for (const key of keys) {
      const xs = noise[key];
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      // 5 standard errors: of the mean σ/√n, of the sample std σ/√(2n).
      expect(Math.abs(mean), `${key} noise mean`).to.be.below((5 * expected[key]) / Math.sqrt(n));
      expectClose(std, expected[key], { absolute: (5 * expected[key]) / Math.sqrt(2 * n), label: `${key} noise std` });
    }
  });

  it('releases loss over the fixed qN and the metrics over the noised count, clamped to their ranges', () => {
    expect(releaseMetrics({ lossSum: 1200, evaluation: { recall: 200, ndcg: 100, shoppers: 400 } }, { lossBound: 8 }, 400)).to.deep.equal({ loss: 3, 'recall@10': 0.5, 'ndcg@10': 0.25 });
    expect(releaseMetrics({ lossSum: -50, evaluation: { recall: 30, ndcg: -2, shoppers: -4 } }, { lossBound: 8 }, 10)).to.deep.equal({ loss: 0, 'recall@10': 1, 'ndcg@10': 0 });
    expect(releaseMetrics({ lossSum: 1e6 }, { lossBound: 8 }, 10)).to.deep.equal({ loss: 8 });
    const baselines = { popularity: { recall: 100, ndcg: 500 }, repeat: { recall: 300, ndcg: -1 } };
    expect(releaseMetrics({ lossSum: 1200, evaluation: { recall: 200, ndcg: 100, shoppers: 400, baselines } }, { lossBound: 8 }, 400)).to.deep.equal({
      loss: 3,
      'recall@10': 0.5,
      'ndcg@10': 0.25,
      'popularity:recall@10': 0.25,
      'popularity:ndcg@10': 1,
      'repeat:recall@10': 0.75,
      'repeat:ndcg@10': 0,
    });
  });

  it('composes a vector query as one Gaussian: two parts give Andrew et al.’s σ_eff, the evaluation m / √3, with the baselines m / √7', () => {
    expect(combinedNoiseMultiplier([{ sensitivity: 1, std: 1 }, { sensitivity: 0.5, std: 5 }])).to.be.closeTo(effectiveNoiseMultiplier(1, 5), 1e-15);
    expect(evaluationNoiseMultiplier(10, false)).to.be.closeTo(10 / Math.sqrt(3), 1e-12);
    expect(evaluationNoiseMultiplier(10, true)).to.be.closeTo(10 / Math.sqrt(7), 1e-12);
    // Sensitivity 8 with std 80 costs as much as sensitivity 1 with std 10.
    expect(combinedNoiseMultiplier([{ sensitivity: 1, std: 0.9 }, { sensitivity: 8, std: 80 }])).to.be.closeTo((0.9 ** -2 + 0.01) ** -0.5, 1e-15);
    expect(() => combinedNoiseMultiplier([{ sensitivity: 1, std: 0 }])).to.throw(FedrecError);
  });
});
