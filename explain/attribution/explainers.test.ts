import { expect } from 'chai';
import fc from 'fast-check';
import { BruteForceShapley } from './brute-force-shapley.ts';
import { ClosedFormShapley } from './closed-form-shapley.ts';
import { conceptGame } from './concept-game.ts';
import { contractModel, explainerContract } from './explainer-contract.ts';
import { expectClose } from './expect-close.ts';
import { IntegratedGradients } from './integrated-gradients.ts';
import { relaxedConceptModel } from './relaxed-concept-model.ts';
import { randomGame, randomGameSpec } from './tiny-concept-model.ts';

explainerContract(() => new ClosedFormShapley());
explainerContract(() => new BruteForceShapley());
explainerContract(() => new IntegratedGradients());

describe('closed-form Shapley', () => {
  it('agrees with brute-force enumeration on random models with up to 10 concepts', () => {
    const closed = new ClosedFormShapley();
    const brute = new BruteForceShapley();
    fc.assert(
      fc.property(randomGameSpec, (spec) => {
        const game = randomGame(spec);
        expect(game.players.length).to.be.at.most(10);
        const a = closed.explain(game);
        const b = brute.explain(game);
        expect(Math.abs(a.baseline - b.baseline)).to.be.at.most(1e-6);
        a.contributions.forEach((value, p) => expect(Math.abs(value - b.contributions[p]), `player ${p} (${game.players[p].kind})`).to.be.at.most(1e-6));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to enumerate more players than its limit', () => {
    const model = contractModel();
    const game = conceptGame(model.scorer, model.weights, { history: [1, 2, 3, 4], store: 0 }, 0);
    expect(() => new BruteForceShapley(4).explain(game)).to.throw(/2\^9 coalitions/);
  });
});

describe('integrated gradients', () => {
  it('relaxed model: its end points are v(∅) and v(all), and its gradient matches finite differences', () => {
    fc.assert(
      fc.property(randomGameSpec, fc.array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: 10, maxLength: 10 }), (spec, point) => {
        const game = randomGame(spec);
        const F = relaxedConceptModel(game);
        const n = game.players.length;
        const ones = new Float64Array(n).fill(1);
        const score = game.scorer.scoreMasked(game.context, game.item, { purchases: new Set(game.prepared.history.keys()), categoryAffinity: true, priceFit: true, promotion: true, novelty: true, storePopularity: true });
        expectClose(F.value(ones), score, { relative: 1e-9, label: 'F(1) = score' });
        expectClose(F.value(new Float64Array(n)), game.scorer.conceptTerms(game.prepared, game.item).baseline, { relative: 1e-9, label: 'F(0) = baseline' });
        const z = Float64Array.from(point.slice(0, n));
        const gradient = F.gradient(z, new Float64Array(n));
        const h = 1e-6;
        for (let p = 0; p < n; p++) {
          const up = Float64Array.from(z);
          const down = Float64Array.from(z);
          up[p] += h;
          down[p] -= h;
          expectClose(gradient[p], (F.value(up) - F.value(down)) / (2 * h), { relative: 1e-5, label: `∂F/∂z[${p}]` });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('differs from Shapley only by moving price fit onto the purchases, in amounts that sum to zero', () => {
    const model = contractModel();
    const game = conceptGame(model.scorer, model.weights, { history: [1, 2, 4], store: 1 }, 0);
    const shapley = new ClosedFormShapley().explain(game);
    const ig = new IntegratedGradients().explain(game);
    let shift = 0;
    let largest = 0;
    game.players.forEach((player, p) => {
      const difference = ig.contributions[p] - shapley.contributions[p];
      if (player.kind !== 'purchase') return expectClose(difference, 0, { relative: 1e-9, label: player.kind });
      shift += difference;
      largest = Math.max(largest, Math.abs(difference));
    });
    expect(largest, 'purchases with prices unlike the mean get a share of price fit').to.be.greaterThan(1e-3);
    expectClose(shift, 0, { relative: 1e-9, label: 'Σ shifts' });
    expect(ig.completenessError).to.be.lessThan(1e-9);
  });
});
