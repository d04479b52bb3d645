import { expect } from 'chai';
import { jobView } from '../../server/rounds/index.ts';
import { startFederation, type Federation } from '../helpers/federation-harness.ts';

/**
 * The noise a DP round adds, measured where it lands: every client answers with an all-zero sum,
 * so with FedAvg at server rate 1 the released model moves by exactly noise / qN. Over the model's
 * P coordinates, (new − old) · qN must then look like P draws of N(0, (σC)²): the sample std
 * within 5 standard errors (SE of a sample std ≈ σC / √(2P)), the mean within 5 SE of 0. With a
 * fixed seed (the harness's SeededRandomSource) the test is repeatable; a missing, doubled or
 * mis-scaled noise, or a wrong denominator, lands far outside.
 */
describe('DP noise of a round over real socket.io', function () {
  this.timeout(60_000);
  let federation: Federation | undefined;
  after(async () => federation?.close());

  it('has standard deviation σC per coordinate, added once to the round sum', async () => {
    federation = await startFederation({ items: 300, connect: 0 });
    const zeroSum = (u: Record<string, unknown>) => ({ ...u, sum: new Uint8Array((u.sum as Uint8Array).byteLength) });
    for (const store of [0, 1, 2]) await federation.addClient(store, { tamper: zeroSum });
    const sigma = 1.3;
    const clipNorm = 0.7;
    const { jobId, done } = await federation.coordinator.startJob(
      { rounds: 1, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 30_000, serverOptimizer: 'fedavg', serverLearningRate: 1, privacy: { mode: 'dp', clipNorm, noiseMultiplier: sigma, delta: 1e-5 } },
      federation.model.weights,
    );
    expect(await done).to.equal('completed');
    const view = (await jobView(federation.store, jobId))!;
    const released = (await federation.store.getModelVersion(view.latestVersion!))!.weights.values;
    const initial = federation.model.weights.values;
    const n = initial.length;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const noise = (released[i] - initial[i]) * view.privacy.expectedShoppers;
      sum += noise;
      squares += noise * noise;
    }
    const mean = sum / n;
    const std = Math.sqrt(squares / n - mean * mean);
    const expected = sigma * clipNorm;
    expect(n, 'enough coordinates for a 5-SE band under 10%').to.be.above(2_000);
    expect(Math.abs(std - expected), `std ${std} vs σC ${expected} over ${n} coordinates`).to.be.below((5 * expected) / Math.sqrt(2 * n));
    expect(Math.abs(mean), `mean ${mean}`).to.be.below((5 * expected) / Math.sqrt(n));
  });
});
