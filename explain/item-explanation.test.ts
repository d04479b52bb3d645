import { expect } from 'chai';
import { generateWorld } from '../client-sim/world/generate-world.ts';
import { ConceptScorer } from '../models/recommender/concept-scorer.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import { parameterView } from '../models/weights/model-weights.ts';
import { attributionScale, expectClose } from './attribution/expect-close.ts';
import { ClosedFormShapley, coalitionValue, conceptGame, explainItem, IntegratedGradients, type ReasonVocabulary } from './index.ts';

describe('explainItem', () => {
  const world = generateWorld({ seed: 4, stores: 2, shoppers: 10, items: 80 });
  const model = modelForWorld(world, 9, { embeddingDim: 6, storeDim: 3 });
  parameterView(model.weights, 'itemHistory').forEach((_, i, a) => (a[i] *= 8));
  const scorer = new ConceptScorer(model.shape, model.weights, model.features);
  const vocabulary: ReasonVocabulary = {
    itemId: (i) => world.catalog[i].id,
    itemName: (i) => world.catalog[i].name,
    itemCategory: (i) => world.catalog[i].category,
    itemPrice: (i) => world.catalog[i].price,
    storeId: (s) => world.stores[s].id,
  };
  const explain = (history: number[], item: number) => explainItem(conceptGame(scorer, model.weights, { history, store: 0 }, item), new ClosedFormShapley(), vocabulary, true);

  it('names the three purchases that lift most and the two that hold back most, and merges the rest exactly', () => {
    const history = Array.from({ length: 12 }, (_, i) => 10 + i);
    const full = new ClosedFormShapley().explain(conceptGame(scorer, model.weights, { history, store: 0 }, 3));
    const explanation = explain(history, 3);
    const purchases = explanation.attributions.filter((a) => a.concept.startsWith('purchase:'));
    const values = [...full.contributions.slice(0, 12)].sort((a, b) => b - a);
    const named = purchases.map((a) => a.contribution).sort((a, b) => b - a);
    expect(named).to.deep.equal([...values.slice(0, 3).filter((v) => v > 0), ...values.slice(-2).filter((v) => v < 0)]);
    const others = explanation.attributions.filter((a) => a.concept === 'other-purchases');
    expect(others).to.have.length(1);
    expect(others[0]).to.include({ code: 'other-purchases', phrase: 'Your other purchases, together' });
    const rest = values.reduce((a, b) => a + b, 0) - named.reduce((a, b) => a + b, 0);
    expectClose(others[0].contribution, rest, { relative: 1e-12, label: 'merged purchases' });
    const sum = explanation.attributions.reduce((total, a) => total + a.contribution, explanation.baseline);
    expectClose(sum, explanation.score, { relative: 1e-12, scale: attributionScale(explanation.baseline, explanation.attributions.map((a) => a.contribution)), label: 'efficiency' });
  });

  it('names every purchase when merging would merge fewer than two', () => {
    const explanation = explain([10, 11, 12, 13, 14, 15], 3);
    expect(explanation.attributions.filter((a) => a.concept.startsWith('purchase:'))).to.have.length(6);
    expect(explanation.attributions.map((a) => a.concept)).to.not.include('other-purchases');
  });

  it('reports the completeness error of a method that is not exact, and none for the closed form', () => {
    const history = [10, 11, 12, 13];
    const game = conceptGame(scorer, model.weights, { history, store: 0 }, 3);
    expect(explain(history, 3)).to.not.have.property('completenessError');
    const ig = explainItem(game, new IntegratedGradients(4), vocabulary, true);
    expect(ig.method).to.equal('integrated-gradients');
    const modelScore = coalitionValue(game, () => true);
    expect(ig.completenessError).to.be.greaterThan(0);
    expectClose(Math.abs(ig.score - modelScore), ig.completenessError!, { relative: 1e-9, label: 'completeness error = |score − model score|' });
  });
});
