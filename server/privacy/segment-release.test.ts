import { expect } from 'chai';
import { SeededRandomSource, historyBands } from '../../protocol/index.ts';
import { expectClose } from './expect-close.ts';
import { combinedNoiseMultiplier, evaluationNoiseMultiplier } from './metric-release.ts';
import { exactSegmentMetrics, noiseSegmentedEvaluation, noiseSegmentSums, overallFromSegments, releaseSegmentMetrics } from './segment-release.ts';

describe('per-segment evaluation release', () => {
  const sums = { new: { recall: 10, ndcg: 6, shoppers: 40 }, occasional: { recall: 60, ndcg: 40, shoppers: 150 }, regular: { recall: 120, ndcg: 74, shoppers: 210 } };

  it('puts N(0, m²) on every band’s recall, NDCG and count, and the derived overall sums carry N(0, 3m²) (fixed seed)', () => {
    const m = 10;
    const random = new SeededRandomSource('segment-noise');
    const n = 20_000;
    const parts = historyBands.flatMap((band) => (['recall', 'ndcg', 'shoppers'] as const).map((key) => ({ label: `${key}:${band}`, read: (s: typeof sums) => s[band][key], std: m })));
    const overall = (['recall', 'ndcg', 'shoppers'] as const).map((key) => ({ label: `overall ${key}`, key, std: m * Math.sqrt(3) }));
    const noise = new Map<string, number[]>([...parts.map((p) => [p.label, []] as [string, number[]]), ...overall.map((o) => [o.label, []] as [string, number[]])]);
    const exactOverall = overallFromSegments(sums);
    for (let i = 0; i < n; i++) {
      const noised = noiseSegmentSums(sums, { metricNoiseMultiplier: m }, random);
      for (const p of parts) noise.get(p.label)!.push(p.read(noised) - p.read(sums));
      const derived = overallFromSegments(noised);
      for (const o of overall) noise.get(o.label)!.push(derived[o.key] - exactOverall[o.key]);
    }
    for (const { label, std: expected } of [...parts, ...overall]) {
      const xs = noise.get(label)!;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      // 5 standard errors: of the mean σ/√n, of the sample std σ/√(2n).
      expect(Math.abs(mean), `${label} noise mean`).to.be.below((5 * expected) / Math.sqrt(n));
      expectClose(std, expected, { absolute: (5 * expected) / Math.sqrt(2 * n), label: `${label} noise std` });
    }
  });

  it('with the baselines, one query: N(0, m²) on the 9 band parts and the 4 baseline sums, the overall model sums N(0, 3m²) and no noise of their own (fixed seed)', () => {
    const m = 10;
    const random = new SeededRandomSource('segment-baseline-noise');
    const baselines = { popularity: { recall: 80, ndcg: 40 }, repeat: { recall: 210, ndcg: 150 } };
    const n = 20_000;
    const exactOverall = overallFromSegments(sums);
    const parts: { label: string; read: (r: ReturnType<typeof noiseSegmentedEvaluation>) => number; exact: number; std: number }[] = [
      ...historyBands.flatMap((band) => (['recall', 'ndcg', 'shoppers'] as const).map((key) => ({ label: `${key}:${band}`, read: (r: ReturnType<typeof noiseSegmentedEvaluation>) => r.segments[band][key], exact: sums[band][key], std: m }))),
      ...(['popularity', 'repeat'] as const).flatMap((name) => (['recall', 'ndcg'] as const).map((key) => ({ label: `${name}.${key}`, read: (r: ReturnType<typeof noiseSegmentedEvaluation>) => r.evaluation.baselines![name][key], exact: baselines[name][key], std: m }))),
      ...(['recall', 'ndcg', 'shoppers'] as const).map((key) => ({ label: `overall ${key}`, read: (r: ReturnType<typeof noiseSegmentedEvaluation>) => r.evaluation[key], exact: exactOverall[key], std: m * Math.sqrt(3) })),
    ];
    const noise = parts.map(() => [] as number[]);
    for (let i = 0; i < n; i++) {
      const released = noiseSegmentedEvaluation(sums, baselines, { metricNoiseMultiplier: m }, random);
      // The overall model sums are exactly the bands' sums: derived, not drawn.
      expect(released.evaluation.shoppers).to.equal(overallFromSegments(released.segments).shoppers);
      parts.forEach((p, k) => noise[k].push(p.read(released) - p.exact));
    }
    parts.forEach(({ label, std: expected }, k) => {
      const xs = noise[k];
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      expect(Math.abs(mean), `${label} noise mean`).to.be.below((5 * expected) / Math.sqrt(n));
      expectClose(std, expected, { absolute: (5 * expected) / Math.sqrt(2 * n), label: `${label} noise std` });
    });
    expect(noiseSegmentedEvaluation(sums, undefined, { metricNoiseMultiplier: m }, random).evaluation).to.not.have.property('baselines');
  });

  it('costs what the overall evaluation costs: a shopper touches one band’s 3 parts (+ the 4 baseline parts), so σ = m / √3 (m / √7 with baselines)', () => {
    const m = 7;
    // One shopper's worst-case contribution: 1 on the recall, NDCG and count of their own band, 0 on
    // the other 6 band parts, and with the baselines 1 on each of the 4 overall baseline sums.
    for (const withBaselines of [false, true]) {
      for (const band of historyBands) {
        const touched = historyBands.flatMap((b) => [1, 1, 1].map((d) => ({ sensitivity: b === band ? d : 0, std: m })));
        if (withBaselines) touched.push(...Array.from({ length: 4 }, () => ({ sensitivity: 1, std: m })));
        expectClose(combinedNoiseMultiplier(touched), evaluationNoiseMultiplier(m, withBaselines), { relative: 1e-12, label: `σ of the band vector, shopper in ${band}, baselines ${withBaselines}` });
      }
    }
    expectClose(evaluationNoiseMultiplier(m, true), m / Math.sqrt(7), { relative: 1e-12, label: 'bands + baselines: 7 parts' });
    // Releasing the overall sums too would make every shopper touch 6 parts (10 with the baselines): a smaller σ, a larger ε.
    expectClose(combinedNoiseMultiplier(Array.from({ length: 6 }, () => ({ sensitivity: 1, std: m }))), m / Math.sqrt(6), { relative: 1e-12, label: 'bands + overall' });
    expectClose(combinedNoiseMultiplier(Array.from({ length: 10 }, () => ({ sensitivity: 1, std: m }))), m / Math.sqrt(10), { relative: 1e-12, label: 'bands + overall + baselines' });
    expect(evaluationNoiseMultiplier(m, true)).to.be.above(m / Math.sqrt(10));
  });

  it('releases each band’s means over its noised count, clamped, with the count rounded and clamped at 0', () => {
    expect(releaseSegmentMetrics(sums)).to.deep.equal({
      'recall@10:new': 0.25, 'ndcg@10:new': 0.15, 'evaluated:new': 40,
      'recall@10:occasional': 0.4, 'ndcg@10:occasional': 40 / 150, 'evaluated:occasional': 150,
      'recall@10:regular': 120 / 210, 'ndcg@10:regular': 74 / 210, 'evaluated:regular': 210,
    });
    const noisy = { new: { recall: 3, ndcg: -1, shoppers: -2.4 }, occasional: { recall: 5, ndcg: 2, shoppers: 4.4 }, regular: { recall: 0, ndcg: 0, shoppers: 0 } };
    expect(releaseSegmentMetrics(noisy)).to.deep.equal({
      'recall@10:new': 1, 'ndcg@10:new': 0, 'evaluated:new': 0,
      'recall@10:occasional': 1, 'ndcg@10:occasional': 2 / 4.4, 'evaluated:occasional': 4,
      'recall@10:regular': 0, 'ndcg@10:regular': 0, 'evaluated:regular': 0,
    });
    expect(overallFromSegments(sums)).to.deep.equal({ recall: 190, ndcg: 120, shoppers: 400 });
    expect(exactSegmentMetrics({ ...sums, new: { recall: 0, ndcg: 0, shoppers: 0 } })).to.not.have.property('recall@10:new');
  });
});
