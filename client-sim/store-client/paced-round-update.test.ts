/**
 * Local training off the event loop's critical path: the paced answer gives the event loop back
 * every slice (a 5 ms timer keeps firing while a store trains), equals the unpaced answer for the
 * same seed, and stops at the deadline. The unpaced answer, for the same work, lets no timer fire:
 * what every store client did before.
 */
import { expect } from 'chai';
import { generateWorld } from '../world/generate-world.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { LocalTrainer } from '../../models/training/local-update.ts';
import { SeededRandomSource, type RoundRequest } from '../../protocol/index.ts';
import { computeRoundUpdate } from './compute-round-update.ts';
import { storeData } from './connect-simulated-stores.ts';
import { pacedRoundUpdate } from './paced-round-update.ts';

describe('paced local training', function () {
  this.timeout(120_000);
  const world = generateWorld({ seed: 4, stores: 1, shoppers: 400, items: 80 });
  const model = modelForWorld(world, 5, { embeddingDim: 8, storeDim: 4 });
  const data = storeData(leaveLastOut(world.shoppers), model.features, 0);
  const request = (deadline: number): RoundRequest => ({
    jobId: 'j', round: 1, modelVersion: 0, nonce: 'n', samplingRate: 1, clipNorm: 0.5, localEpochs: 3, batchSize: 8, clientLearningRate: 1, evaluate: true, deadline,
  });

  /** Runs `work` with a 5 ms interval timer; returns how often it fired and the longest gap between firings. */
  async function ticksDuring<T>(work: () => Promise<T> | T): Promise<{ result: T; ticks: number; longestGapMs: number; ms: number }> {
    let ticks = 0;
    let last = performance.now();
    let longestGapMs = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    clearInterval(timer);
    longestGapMs = Math.max(longestGapMs, performance.now() - last);
    return { result, ticks, longestGapMs, ms };
  }

  it('gives the event loop back while it trains, and answers what the unpaced answer does', async () => {
    const sync = await ticksDuring(() => computeRoundUpdate(request(Date.now() + 600_000), model.weights, data, new LocalTrainer(model.features, 1), new SeededRandomSource(9)));
    const paced = await ticksDuring(() => pacedRoundUpdate(request(Date.now() + 600_000), model.weights, data, new LocalTrainer(model.features, 1), new SeededRandomSource(9), { sliceMs: 10, sendMarginMs: 0 }));
    console.log(`      unpaced: ${sync.ms.toFixed(0)} ms, ${sync.ticks} timer ticks, longest gap ${sync.longestGapMs.toFixed(0)} ms; paced: ${paced.ms.toFixed(0)} ms, ${paced.ticks} ticks, longest gap ${paced.longestGapMs.toFixed(0)} ms`);
    expect(sync.ticks, 'the unpaced answer blocks the event loop throughout').to.equal(0);
    expect(paced.ticks).to.be.greaterThan(sync.ms / 50);
    expect('update' in paced.result && paced.result.update).to.deep.equal(sync.result);
  });

  it('stops at the deadline less its send margin and says why', async () => {
    const outcome = await pacedRoundUpdate(request(Date.now() + 300), model.weights, data, new LocalTrainer(model.features, 1), new SeededRandomSource(9), { sliceMs: 10, sendMarginMs: 100, stepDelayMs: 20 });
    expect(outcome).to.have.property('abandoned', 'deadline');
    expect((outcome as { steps: number }).steps).to.be.within(1, 15);
  });
});
