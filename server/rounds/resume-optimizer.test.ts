import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFederation, waitFor, type Federation } from '../../test/helpers/federation-harness.ts';
import { openStore } from '../store/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { jobConfigSchema } from './job-config.ts';
import { fedAdam } from './server-optimizer.ts';

/** Each run's own SQLite file. */
let databases = 0;

/**
 * A job trains a few rounds, its coordinator stops, and a new one on the reopened SQLite file
 * resumes it with clients that answer all-zero sums: without DP the round's update is then
 * exactly 0, so the resumed step is the optimizer's state alone. Returns the weights of the last
 * step before the stop (`before` → `latest`), of the resumed one (`after`), and what the store
 * held for the optimizer when the new coordinator started.
 */
async function stopAndResume(dir: string, config: Record<string, unknown>, hold: { federation?: Federation; store?: FedrecStore }) {
  const path = join(dir, `fedrec-${String(config.serverOptimizer)}-${++databases}.db`);
  hold.store = openStore(path);
  hold.federation = await startFederation({ store: hold.store });
  const { jobId } = await hold.federation.coordinator.startJob(config, hold.federation.model.weights);
  await waitFor(() => hold.federation!.rounds.length >= 2, 60_000);
  await hold.federation.close();
  hold.federation = undefined;
  await hold.store.close();

  const store = (hold.store = openStore(path));
  const stopped = await store.getJob(jobId);
  expect(stopped!.status, 'a stopped job stays running, to be resumed').to.equal('running');
  const k = stopped!.completedRounds;
  const storedState = await store.getOptimizerState(jobId);
  hold.federation = await startFederation({ store, connect: 0, clientLabel: 'resumed-' });
  const zeroSum = (u: Record<string, unknown>) => ({ ...u, sum: new Uint8Array((u.sum as Uint8Array).byteLength) });
  for (const s of [0, 1, 2]) await hold.federation.addClient(s, { tamper: zeroSum });
  const [resumed] = await hold.federation.coordinator.resumeJobs();
  expect(resumed.jobId).to.equal(jobId);
  await waitFor(() => hold.federation!.rounds.length >= 1, 60_000);
  resumed.job.stop();
  await resumed.done;

  const rounds = await store.listRounds(jobId);
  const weightsOf = async (version: number) => (await store.getModelVersion(version))!.weights.values;
  const last = rounds.find((r) => r.round === k)!;
  const next = rounds.find((r) => r.round === k + 1)!;
  expect(next.baseVersion).to.equal(last.releasedVersion);
  const latest = (await store.getModelVersion(last.releasedVersion))!.weights;
  return { last, storedState, manifest: latest.manifest, before: await weightsOf(last.baseVersion), latest: latest.values, after: await weightsOf(next.releasedVersion) };
}

describe('server optimizers resumed by a new coordinator', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-optimizer-resume-'));
  const hold: { federation?: Federation; store?: FedrecStore } = {};
  afterEach(async () => {
    await hold.federation?.close();
    await hold.store?.close();
    hold.federation = hold.store = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // With learning-rate scales the step of coordinate i is η s_i β m_i; a resume that read the momentum back
  // dividing by η alone would continue it s_i times too large on every scaled coordinate.
  const scaled = { itemBias: 0.5, repeatWeight: 0.25, positionWeight: 0.25, categoryAffinity: 0.25, storeEmbedding: 3 };
  for (const scales of [undefined, scaled]) {
    it(`FedAvgM continues the momentum of its last released step${scales ? ', with learning-rate scales' : ''}`, async () => {
      const beta = 0.8;
      const config = { rounds: 50, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 30_000, serverOptimizer: 'fedavgm', serverLearningRate: 1.5, serverMomentum: beta, privacy: { mode: 'none' }, ...(scales ? { serverLearningRateScales: scales } : {}) };
      const { before, latest, after, manifest } = await stopAndResume(dir, config, hold);
      // w_{k+1} − w_k = η s β m_k = β (w_k − w_{k−1}); a resume that dropped the momentum would release w_{k+1} = w_k.
      let moved = 0;
      let movedScaled = 0;
      const isScaled = new Uint8Array(latest.length);
      for (const p of manifest.parameters) if (scales && p.name in scales) isScaled.fill(1, p.offset, p.offset + p.length);
      for (let i = 0; i < latest.length; i++) {
        const expected = beta * (latest[i] - before[i]);
        if (Math.abs(expected) > 1e-4) {
          moved++;
          movedScaled += isScaled[i];
        }
        // float32 weights: each of the three is rounded to ~6e-8 of its size (|w| < 4 here).
        expect(Math.abs(after[i] - latest[i] - expected), `coordinate ${i}`).to.be.below(2e-6);
      }
      expect(moved, 'the last step before the stop moved the model').to.be.above(latest.length / 10);
      if (scales) expect(movedScaled, 'it moved scaled coordinates too').to.be.above(10);
    });
  }

  it('FedAdam continues the moments stored with its last released round, bit for bit', async () => {
    const config = { rounds: 50, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 30_000, serverOptimizer: 'fedadam', serverLearningRate: 0.05, privacy: { mode: 'none' } };
    const { last, storedState, latest, after } = await stopAndResume(dir, config, hold);
    expect(storedState?.version, 'the moments are those of the last released version').to.equal(last.releasedVersion);
    expect(storedState!.state).to.have.length(2 * latest.length);
    // With Δ = 0 the resumed step is η β1 m / (√(β2 v) + τ): what an optimizer built from the stored moments gives.
    const expected = latest.slice();
    fedAdam(0.05, jobConfigSchema.parse(config).adam, storedState!.state).apply(expected, new Float64Array(latest.length));
    expect([...after]).to.deep.equal([...expected]);
    // A resume that restarted the moments (m = 0) would release w_{k+1} = w_k.
    const moved = after.filter((w, i) => Math.abs(w - latest[i]) > 1e-6).length;
    expect(moved, 'the resumed step moved the model').to.be.above(latest.length / 10);
  });
});
