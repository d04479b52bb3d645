import { expect } from 'chai';
import { generateWorld } from '../../client-sim/world/index.ts';
import { ConceptScorer, cooccurrence, evaluateRanker, leaveLastOutWithValidation, modelForWorld, modelRanker, selectBackend, storePopularity, trainCentralized } from '../../models/index.ts';

// The quality floor: if a change breaks learning (a gradient sign, a term left out of the scorer, an
// initialisation), recall@10 falls to popularity level and this fails. A world of 800 shoppers ×
// 200 items × 4 stores, 3 epochs of centralised Adam (lr 0.01, batch 256, 200 negatives), test split.
//
// Measured over seeds 1–5 (2026-12-01, `npx tsx` of this setup, 10–19 s each on the shared 2 cores):
//   seed            1     2     3     4     5
//   model         0.679 0.689 0.615 0.629 0.652
//   co-occurrence 0.575 0.598 0.537 0.531 0.551   model / co-occurrence 1.18 1.15 1.14 1.18 1.18
//   per store     0.366 0.471 0.326 0.340 0.315   model / per store     1.85 1.46 1.89 1.85 2.07
// Re-measured with the description term (2026-12-02, 38–69 s each at load ~10): model 0.680 0.690
// 0.613 0.627 0.651, i.e. 1.18 1.15 1.14 1.18 1.18× co-occurrence and 1.86 1.46 1.88 1.85 2.07×
// per store; started from the default priors (repeat 2, description 2): 0.671 0.714 0.620 0.624
// 0.660, 1.17 1.19 1.15 1.17 1.20× and 1.83 1.51 1.90 1.83 2.10×. The synthetic names carry no
// purchase signal, so the term changes nothing here, and seed 2 still stays far below 2×.
// The issue asked for 2× per-store popularity: the model does not reach it on a world this small
// (1.46–2.07×; 1.81–2.27× with 2 stores, 1.88–2.38× at 1,000 × 400), so the floor is set below the
// smallest ratio measured: 1.08× co-occurrence and 1.35× per-store popularity, with seed 1 run here.
describe('quality floor (CI)', () => {
  it('centralised recall@10 beats co-occurrence by 8% and per-store popularity by 35% on a small world', async function () {
    this.timeout(120_000);
    await selectBackend(() => {});
    const seed = 1;
    const items = 200;
    const world = generateWorld({ seed, stores: 4, shoppers: 800, items });
    const split = leaveLastOutWithValidation(world.shoppers);
    const model = modelForWorld(world, seed);
    await trainCentralized(model.weights, model.features, split.train, { epochs: 3, batchSize: 256, learningRate: 0.01, negatives: items, seed });
    const recall = (ranker: Parameters<typeof evaluateRanker>[0]): number => evaluateRanker(ranker, split.test)['recall@10'];
    const fedrec = recall(modelRanker(new ConceptScorer(model.shape, model.weights, model.features)));
    const co = recall(cooccurrence(split.train, items));
    const perStore = recall(storePopularity(split.train, items, world.stores.length));
    expect(fedrec, `model ${fedrec.toFixed(3)} vs co-occurrence ${co.toFixed(3)}`).to.be.at.least(1.08 * co);
    expect(fedrec, `model ${fedrec.toFixed(3)} vs per-store popularity ${perStore.toFixed(3)}`).to.be.at.least(1.35 * perStore);
  });
});
