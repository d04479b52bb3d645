import { expect } from 'chai';
import { ConceptScorer, type ShopperContext } from '../../models/recommender/concept-scorer.ts';
import { randomModel } from '../../test/helpers/random-model.ts';
import { CatalogueScorer } from './catalogue-scorer.ts';
import { catalogueScoreKernel, simdAvailable } from './catalogue-score-kernel.ts';

describe('catalogueScoreKernel', () => {
  it('is WebAssembly SIMD on this engine (Node ≥ 20)', () => {
    expect(simdAvailable()).to.equal(true);
  });

  for (const simd of [true, false]) {
    it(`out = fixed + categoryTerm − priceWeight · gap² + query · row, any width (${simd ? 'SIMD' : 'JS'})`, () => {
      for (const [items, columns] of [[0, 3], [1, 1], [7, 5], [33, 16], [100, 41], [200, 8]]) {
        const kernel = catalogueScoreKernel(items, columns, 3, { simd });
        expect(kernel.width % 4).to.equal(0);
        const row = (i: number) => Array.from({ length: columns }, (_, k) => Math.sin(i * 7 + k * 3));
        const query = Array.from({ length: columns }, (_, k) => Math.cos(k));
        for (let i = 0; i < items; i++) {
          kernel.rows.set(row(i), i * kernel.width);
          kernel.fixed[i] = i / 10;
          kernel.logPrice[i] = Math.cos(i);
          kernel.category[i] = 4 * (i % 3);
        }
        kernel.query.set(query);
        kernel.categoryTerm.set([0.5, -0.25, 2]);
        kernel.out.fill(NaN);
        kernel.score(0.7, 0.3);
        for (let i = 0; i < items; i++) {
          const dot = row(i).reduce((sum, value, k) => sum + Math.fround(value) * Math.fround(query[k]), 0);
          const expected = dot + Math.fround(i / 10) + [0.5, -0.25, 2][i % 3] - 0.7 * (Math.fround(Math.cos(i)) - 0.3) ** 2;
          expect(Math.abs(kernel.out[i] - expected), `${items} × ${columns}, item ${i}`).to.be.below(1e-5 * (1 + columns));
        }
        expect(kernel.blockMax.length).to.equal(Math.ceil(items / kernel.blockSize));
        kernel.blockMax.forEach((max, b) => expect(max, `block ${b}`).to.equal(Math.max(...kernel.out.subarray(b * kernel.blockSize, (b + 1) * kernel.blockSize))));
      }
    });
  }

  it('rejects a shape that is not whole', () => {
    expect(() => catalogueScoreKernel(2.5, 3, 1)).to.throw(/items must be a whole number ≥ 0, got 2\.5/);
    expect(() => catalogueScoreKernel(3, 0, 1)).to.throw(/columns/);
  });
});

describe('CatalogueScorer', () => {
  // Every parameter random (not the near-zero initial weights), so each term of the formula is exercised:
  // a parameter the model gains and this scorer ignores fails here.
  const shapes = [
    { items: 30, stores: 3, categories: 4, embeddingDim: 5, storeDim: 3, historyLength: 6 },
    { items: 257, stores: 5, categories: 7, embeddingDim: 32, storeDim: 8, historyLength: 20 },
  ];
  for (const shape of shapes) {
    const { weights, features, shoppers } = randomModel(5 + shape.items, shape);
    const scorer = new ConceptScorer(shape, weights, features);
    const contexts: [string, ShopperContext][] = [
      ['empty history, known store', { history: [], store: 1 }],
      ['empty history, unknown store', { history: [], store: -1 }],
      ['a repeated purchase', { history: [4, 9, 4], store: 0 }],
      ['unknown store', { history: [0, 17, 29], store: -1 }],
      ...shoppers.slice(0, 6).map((s, n): [string, ShopperContext] => [`shopper ${n}`, { history: s.items, store: s.store }]),
    ];
    for (const simd of [true, false]) {
      it(`equals ConceptScorer.scoreAll on a random ${shape.items}-item model (${simd ? 'SIMD' : 'JS'})`, () => {
        const fast = new CatalogueScorer(scorer, weights, { simd });
        for (const [name, context] of contexts) {
          const prepared = scorer.prepare(context);
          const expected = scorer.scoreAll(prepared, new Float32Array(shape.items));
          const actual = fast.scoreAll(prepared);
          for (let i = 0; i < shape.items; i++) {
            expect(Math.abs(actual[i] - expected[i]), `${name}, item ${i}: ${actual[i]} vs ${expected[i]}`).to.be.below(2e-5 * Math.max(1, Math.abs(expected[i])));
          }
          const { max, size } = fast.blocks;
          // An upper bound of each block (a negative repeat weight can lower a history item's score after it).
          max.forEach((m, b) => expect(m, `${name}, block ${b}`).to.be.at.least(Math.max(...actual.subarray(b * size, (b + 1) * size))));
        }
      });
    }
  }

  it('allocates nothing catalogue-sized per request: every call fills the same buffer', () => {
    const { shape, weights, features, shoppers } = randomModel(3);
    const scorer = new ConceptScorer(shape, weights, features);
    const fast = new CatalogueScorer(scorer, weights);
    const first = fast.scoreAll(scorer.prepare({ history: shoppers[0].items, store: 0 }));
    expect(fast.scoreAll(scorer.prepare({ history: shoppers[1].items, store: 1 }))).to.equal(first);
    expect(fast.blocks.max.buffer).to.equal(first.buffer);
  });
});
