import { expect } from 'chai';
import { randomModel } from '../../test/helpers/random-model.ts';
import { ConceptScorer, type ConceptMask, type ShopperContext } from './concept-scorer.ts';

/** |a − b| ≤ 1e-5 · max(1, scale): the scorer sums in float64 but writes scores to a Float32Array. */
function expectClose(actual: number, expected: number, scale: number, label: string): void {
  const allowed = 1e-5 * Math.max(1, scale);
  if (!(Math.abs(actual - expected) <= allowed)) expect.fail(`${label}: ${actual} vs ${expected} (allowed ${allowed.toExponential(1)})`);
}

describe('ConceptScorer: its three views of a score agree', () => {
  const { shape, weights, features } = randomModel(11);
  const scorer = new ConceptScorer(shape, weights, features);
  const contexts: [string, ShopperContext][] = [
    ['empty history, known store', { history: [], store: 1 }],
    ['short history with a repeat', { history: [4, 9, 4], store: 0 }],
    ['history longer than the model reads', { history: [1, 2, 3, 4, 5, 6, 7, 8, 2], store: 2 }],
    ['unknown store', { history: [0, 17, 29], store: -1 }],
  ];

  for (const [name, context] of contexts) {
    it(`scoreAll = scoreMasked(all concepts) = Σ conceptTerms: ${name}`, () => {
      const prepared = scorer.prepare(context);
      const all = scorer.scoreAll(prepared, new Float32Array(shape.items));
      const everything: ConceptMask = {
        purchases: new Set(prepared.history.map((_, j) => j)),
        categoryAffinity: true,
        priceFit: true,
        promotion: true,
        novelty: true,
        storePopularity: true,
      };
      for (let item = 0; item < shape.items; item++) {
        const t = scorer.conceptTerms(prepared, item);
        const parts = [t.baseline, ...t.purchases.map((p) => p.contribution), t.categoryAffinity, t.priceFit, t.promotion, t.novelty, t.storePopularity];
        const sum = parts.reduce((a, b) => a + b, 0);
        const scale = parts.reduce((a, b) => a + Math.abs(b), 0);
        expectClose(all[item], sum, scale, `item ${item}: scoreAll vs Σ conceptTerms`);
        expectClose(scorer.scoreMasked(context, item, everything), sum, scale, `item ${item}: scoreMasked vs Σ conceptTerms`);
      }
    });
  }

  it('reads only the last historyLength purchases', () => {
    const long = scorer.prepare({ history: [20, 21, 22, 1, 2, 3, 4, 5, 6], store: 0 });
    const last = scorer.prepare({ history: [1, 2, 3, 4, 5, 6], store: 0 });
    expect(Array.from(scorer.scoreAll(long, new Float32Array(shape.items)))).to.deep.equal(Array.from(scorer.scoreAll(last, new Float32Array(shape.items))));
  });
});
