/**
 * The one contract every Explainer passes (Hono's router suite is the model): the Shapley axioms
 * that make attributions trustworthy (Shapley 1953; Lundberg & Lee 2017, Sec. 3, "local accuracy",
 * "missingness", and symmetry), checked against the masked model, never against an explainer.
 *   efficiency  Σ φ = v(all) − v(∅), within the error the method itself reports (IG's quadrature)
 *   null player a purchase that changes nothing gets 0
 *   symmetry    two interchangeable purchases get equal values
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { coalitionValue, conceptGame, type ConceptGame } from './concept-game.ts';
import type { Explainer } from './explainer.ts';
import { attributionScale, expectClose } from './expect-close.ts';
import { randomGame, randomGameSpec, tinyModel, type TinyModel } from './tiny-concept-model.ts';

/** Relative tolerance of the axioms: float round-off over a few dozen terms. */
const relative = 1e-9;

/**
 * A 6-item model built so that, for candidate 0 at store 1: item 3 has a zero history embedding, a
 * category other than the candidate's and the mean log price of the history it is in (a null player
 * for every method); items 4 and 5 are identical twins (same embedding, category and price).
 */
export function contractModel(): TinyModel {
  const shape = { items: 6, stores: 2, categories: 2, embeddingDim: 2, storeDim: 2, historyLength: 4 };
  const model = tinyModel({
    shape,
    values: [],
    category: [0, 1, 1, 1, 0, 0],
    logPrice: [1.0, 0.5, 1.5, 1.0, 0.75, 0.75],
    promotion: [true, false, false, false, false, false],
    novelty: [true, false, false, false, false, false],
  });
  model.set('itemBias', [0.3, 0.1, -0.2, 0, 0.05, 0.05]);
  model.set('itemHistory', [0.9, 0.1, 0.3, -0.2, 0.1, 0.4, 0, 0, 0.2, 0.5, 0.2, 0.5]);
  model.set('itemCandidate', [0.7, -0.4]);
  model.set('positionWeight', [0.1, 0.1, 0.1, 0.1]);
  model.set('repeatWeight', [0.6]);
  model.set('categoryAffinity', [0.5, -0.3]);
  model.set('priceFit', [0.2]);
  model.set('promotion', [0.4]);
  model.set('novelty', [-0.2]);
  model.set('storeEmbedding', [0.3, -0.1, 0.6, 0.2]);
  model.set('itemStore', [0.5, 0.4]);
  return model;
}

function game(history: number[]): ConceptGame {
  const model = contractModel();
  return conceptGame(model.scorer, model.weights, { history, store: 1 }, 0);
}

function playerOf(g: ConceptGame, item: number): number {
  return g.players.findIndex((p) => p.kind === 'purchase' && p.item === item);
}

function checkEfficiency(explainer: Explainer, g: ConceptGame): void {
  const attribution = explainer.explain(g);
  const empty = coalitionValue(g, () => false);
  const all = coalitionValue(g, () => true);
  const scale = attributionScale(attribution.baseline, attribution.contributions);
  expectClose(attribution.baseline, empty, { relative, scale, label: 'baseline = v(∅)' });
  const sum = attribution.contributions.reduce((a, b) => a + b, 0);
  expectClose(sum, all - empty, { relative, scale, slack: attribution.completenessError, label: 'efficiency: Σφ = v(all) − v(∅)' });
}

/** Registers the contract's tests for one explainer. */
export function explainerContract(make: () => Explainer): void {
  const explainer = make();
  describe(`explainer contract: ${explainer.method}`, () => {
    it('efficiency: the values sum to v(all) − v(∅), including merged repeat purchases', () => {
      checkEfficiency(explainer, game([1, 2, 1, 4]));
      checkEfficiency(explainer, game([]));
    });

    it('efficiency on random small models', () => {
      fc.assert(fc.property(randomGameSpec, (spec) => checkEfficiency(explainer, randomGame(spec))), { numRuns: 60 });
    });

    it('null player: a purchase that changes nothing gets 0', () => {
      const g = game([1, 3, 2]);
      const attribution = explainer.explain(g);
      const scale = attributionScale(attribution.baseline, attribution.contributions);
      expectClose(attribution.contributions[playerOf(g, 3)], 0, { relative: 1e-12, scale, label: 'φ(null purchase)' });
    });

    it('symmetry: two interchangeable purchases get equal values', () => {
      const g = game([4, 1, 5]);
      const attribution = explainer.explain(g);
      const [a, b] = [playerOf(g, 4), playerOf(g, 5)];
      expect(a).to.not.equal(b);
      const scale = attributionScale(attribution.baseline, attribution.contributions);
      expectClose(attribution.contributions[a], attribution.contributions[b], { relative, scale, label: 'φ(twin 4) vs φ(twin 5)' });
      expect(attribution.contributions[a]).to.not.equal(0);
    });
  });
}
