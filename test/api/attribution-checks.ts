/**
 * Checks of a served response against an independent scorer built from the same weights: the
 * efficiency of every item's attributions, its score against the masked model, and (optionally) every
 * attribution against brute-force Shapley enumeration.
 */
import { expect } from 'chai';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { BruteForceShapley, conceptGame, otherPurchasesConcept } from '../../explain/index.ts';
import type { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';

export interface ServedItem {
  itemId: string;
  score: number;
  baseline: number;
  attributions: { concept: string; contribution: number }[];
}

/** |actual − expected| ≤ relative · max(1, scale), with the scale |baseline| + Σ|φ| of what was summed. */
function expectClose(actual: number, expected: number, { relative, scale, label }: { relative: number; scale: number; label: string }): void {
  const error = Math.abs(actual - expected);
  if (!(error <= relative * Math.max(1, scale))) expect.fail(`${label}: got ${actual}, expected ${expected} (|Δ| = ${error.toExponential(2)})`);
}

const attributionScale = (baseline: number, contributions: number[]): number => contributions.reduce((sum, c) => sum + Math.abs(c), Math.abs(baseline));

/** The shopper context a request describes, in model indices (the world's catalogue order). */
export function contextOf(world: RetailWorld, history: { itemId: string }[], storeId: string): { history: number[]; store: number } {
  const index = new Map(world.catalog.map((item, i) => [item.id, i]));
  return {
    history: history.flatMap(({ itemId }) => (index.has(itemId) ? [index.get(itemId)!] : [])),
    store: world.stores.findIndex((s) => s.id === storeId),
  };
}

/** Efficiency, as any client can check it: score = baseline + Σ contributions (1e-9 relative). */
export function expectScoreIsBaselinePlusContributions(item: ServedItem): void {
  const contributions = item.attributions.map((a) => a.contribution);
  const sum = contributions.reduce((total, c) => total + c, item.baseline);
  expectClose(item.score, sum, { relative: 1e-9, scale: attributionScale(item.baseline, contributions), label: `${item.itemId}: score = baseline + Σ contributions` });
}

/** Efficiency, and score = v(all) and baseline = v(∅) of the masked model (1e-9 relative). */
export function expectEfficient(item: ServedItem, world: RetailWorld, scorer: ConceptScorer, context: { history: number[]; store: number }): void {
  expectScoreIsBaselinePlusContributions(item);
  const scale = attributionScale(item.baseline, item.attributions.map((a) => a.contribution));
  const index = world.catalog.findIndex((c) => c.id === item.itemId);
  const read = Math.min(context.history.length, scorer.shape.historyLength);
  const all = { purchases: new Set(Array.from({ length: read }, (_, j) => j)), categoryAffinity: true, priceFit: true, promotion: true, novelty: true, storePopularity: true };
  expectClose(item.score, scorer.scoreMasked(context, index, all), { relative: 1e-9, scale, label: `${item.itemId}: score = v(all)` });
  expectClose(item.baseline, scorer.scoreMasked(context, index, { ...all, purchases: new Set(), categoryAffinity: false, priceFit: false, promotion: false, novelty: false, storePopularity: false }), {
    relative: 1e-9,
    scale,
    label: `${item.itemId}: baseline = v(∅)`,
  });
}

/** Every attribution equals the brute-force Shapley value of its concept; concepts left out are worth 0. */
export function expectBruteForceAgreement(item: ServedItem, world: RetailWorld, scorer: ConceptScorer, weights: ModelWeights, context: { history: number[]; store: number }): void {
  const index = world.catalog.findIndex((c) => c.id === item.itemId);
  const game = conceptGame(scorer, weights, context, index);
  const reference = new BruteForceShapley().explain(game);
  const served = new Map(item.attributions.map((a) => [a.concept, a.contribution]));
  const others = served.get(otherPurchasesConcept);
  served.delete(otherPurchasesConcept);
  let othersReference = 0;
  game.players.forEach((player, p) => {
    const concept = player.kind === 'purchase' ? `purchase:${world.catalog[player.item].id}` : player.kind;
    const reference_p = reference.contributions[p];
    // Purchases not named one by one are merged into `other-purchases`: compare their sum.
    if (player.kind === 'purchase' && !served.has(concept) && others !== undefined) othersReference += reference_p;
    else expect(Math.abs((served.get(concept) ?? 0) - reference_p), `${item.itemId} ${concept}: served ${served.get(concept)}, brute force ${reference_p}`).to.be.at.most(1e-6);
    served.delete(concept);
  });
  if (others !== undefined) expect(Math.abs(others - othersReference), `${item.itemId} other purchases`).to.be.at.most(1e-6);
  expect([...served.keys()], 'attributions for concepts that are not players').to.deep.equal([]);
}
