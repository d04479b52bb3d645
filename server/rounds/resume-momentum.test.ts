import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFederation, waitFor, type Federation } from '../../test/helpers/federation-harness.ts';
import { openStore } from '../store/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';

/**
 * FedAvgM's momentum across a coordinator restart, on a real SQLite file and real socket.io
 * clients. The job trains a few rounds, the coordinator stops, and a new one on the reopened file
 * resumes it with clients that answer all-zero sums. Without DP the round's update is then
 * exactly 0, so the resumed step is pure momentum: w_{k+1} − w_k = η β m_k = β (w_k − w_{k−1}).
 * A resume that dropped the momentum would release w_{k+1} = w_k.
 */
describe('FedAvgM resumed by a new coordinator', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-momentum-'));
  let federation: Federation | undefined;
  let store: FedrecStore | undefined;
  after(async () => {
    await federation?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues the momentum of its last released step', async () => {
    const path = join(dir, 'fedrec.db');
    store = openStore(path);
    federation = await startFederation({ store });
    const beta = 0.8;
    const config = { rounds: 50, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 30_000, serverOptimizer: 'fedavgm', serverLearningRate: 1.5, serverMomentum: beta, privacy: { mode: 'none' } };
    const { jobId } = await federation.coordinator.startJob(config, federation.model.weights);
    await waitFor(() => federation!.rounds.length >= 2, 60_000);
    await federation.close();
    federation = undefined;
    await store.close();

    store = openStore(path);
    const stopped = await store.getJob(jobId);
    expect(stopped!.status, 'a stopped job stays running, to be resumed').to.equal('running');
    const k = stopped!.completedRounds;
    federation = await startFederation({ store, connect: 0, clientLabel: 'resumed-' });
    const zeroSum = (u: Record<string, unknown>) => ({ ...u, sum: new Uint8Array((u.sum as Uint8Array).byteLength) });
    for (const s of [0, 1, 2]) await federation.addClient(s, { tamper: zeroSum });
    const [resumed] = await federation.coordinator.resumeJobs();
    expect(resumed.jobId).to.equal(jobId);
    await waitFor(() => federation!.rounds.length >= 1, 60_000);
    resumed.job.stop();
    await resumed.done;

    const rounds = await store.listRounds(jobId);
    const weightsOf = async (version: number) => (await store!.getModelVersion(version))!.weights.values;
    const last = rounds.find((r) => r.round === k)!;
    const next = rounds.find((r) => r.round === k + 1)!;
    expect(next.baseVersion).to.equal(last.releasedVersion);
    const before = await weightsOf(last.baseVersion);
    const latest = await weightsOf(last.releasedVersion);
    const after = await weightsOf(next.releasedVersion);
    let moved = 0;
    for (let i = 0; i < latest.length; i++) {
      const expected = beta * (latest[i] - before[i]);
      if (Math.abs(expected) > 1e-4) moved++;
      // float32 weights: each of the three is rounded to ~6e-8 of its size (|w| < 4 here).
      expect(Math.abs(after[i] - latest[i] - expected), `coordinate ${i}`).to.be.below(2e-6);
    }
    expect(moved, 'the last step before the stop moved the model').to.be.above(latest.length / 10);
  });
});
