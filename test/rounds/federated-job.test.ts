import { expect } from 'chai';
import { startFederation, waitFor, type Federation } from '../helpers/federation-harness.ts';

describe('federated job over real socket.io clients', function () {
  this.timeout(120_000);
  let federation: Federation | undefined;
  afterEach(async () => {
    await federation?.close();
    federation = undefined;
  });

  it('runs a full DP job: every round released, ε grows, the model changes and stays finite', async () => {
    federation = await startFederation();
    const { jobId, done } = await federation.coordinator.startJob(
      { rounds: 3, samplingRate: 0.5, minClients: 3, roundDeadlineMs: 30_000, evaluateEvery: 3, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0, delta: 1e-5 } },
      federation.model.weights,
    );
    expect(await done).to.equal('completed');
    const rounds = await federation.store.listRounds(jobId);
    expect(rounds.map((r) => r.round)).to.deep.equal([1, 2, 3]);
    expect(rounds.every((r) => r.clients === 3)).to.equal(true);
    expect(rounds[0].epsilon).to.be.greaterThan(0);
    expect(rounds[2].epsilon).to.be.greaterThan(rounds[1].epsilon);
    expect(rounds[2].metrics['recall@10']).to.be.within(0, 1);
    const last = await federation.store.getModelVersion(rounds[2].releasedVersion);
    expect(last!.weights.values.every(Number.isFinite)).to.equal(true);
    expect(last!.weights.values).to.not.deep.equal(federation.model.weights.values);
    expect((await federation.store.getJob(jobId))!.status).to.equal('completed');
  });

  it('rejects a NaN update and a wrong-shape update with a reason; the round completes unharmed', async () => {
    federation = await startFederation({ connect: 1 });
    const nan = await federation.addClient(1, {
      tamper: (u) => {
        const bytes = new Uint8Array(u.sum as Uint8Array);
        new Float32Array(bytes.buffer)[0] = Number.NaN;
        return { ...u, sum: bytes };
      },
    });
    const short = await federation.addClient(2, { tamper: (u) => ({ ...u, sum: (u.sum as Uint8Array).slice(0, 40) }) });
    const { jobId, done } = await federation.coordinator.startJob(
      { rounds: 1, samplingRate: 0.5, minClients: 1, roundDeadlineMs: 8_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0 } },
      federation.model.weights,
    );
    expect(await done).to.equal('completed');
    // A refused answer counts as the client's answer: the round closed without waiting for more.
    await waitFor(() => nan.acks.length > 0 && short.acks.length > 0, 5_000);
    expect(nan.acks[0].ok).to.equal(false);
    expect(nan.acks[0].error!.message).to.match(/NaN/);
    expect(short.acks[0].ok).to.equal(false);
    expect(short.acks[0].error!.message).to.match(/update has 10 values, model has \d+/);
    const [round] = await federation.store.listRounds(jobId);
    expect(round.clients).to.equal(1);
    const model = await federation.store.getModelVersion(round.releasedVersion);
    expect(model!.weights.values.every(Number.isFinite)).to.equal(true);
  });

  it('rejects a stale and a replayed update', async () => {
    federation = await startFederation({ connect: 2 });
    let captured: Record<string, unknown> | undefined;
    const replayer = await federation.addClient(2, {
      tamper: (u) => {
        if (!captured) captured = u;
        return u.round === 2 ? { ...captured, round: 2, modelVersion: u.modelVersion } : u;
      },
    });
    const { jobId, done } = await federation.coordinator.startJob(
      { rounds: 2, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 8_000, privacy: { mode: 'none' } },
      federation.model.weights,
    );
    expect(await done).to.equal('completed');
    expect(replayer.acks[0].ok).to.equal(true);
    expect(replayer.acks[1].ok).to.equal(false);
    expect(replayer.acks[1].error!.message).to.match(/replayed/);
    // A stale answer: round 1's update sent again after round 1 closed.
    expect(() => federation!.coordinator.submitUpdate('anyone', { ...captured, jobId })).to.throw(/stale/);
    const rounds = await federation.store.listRounds(jobId);
    expect(rounds.map((r) => r.clients)).to.deep.equal([3, 2]);
  });

  it('closes a round at its deadline without a slow client, rejects its late answer, and survives a disconnect', async () => {
    federation = await startFederation({ connect: 2 });
    const slow = await federation.addClient(2, { answerDelayMs: 4_000 });
    federation.clients[1].close(); // disconnects before the job: never invited
    const { jobId, done } = await federation.coordinator.startJob(
      { rounds: 1, samplingRate: 0.5, minClients: 1, roundDeadlineMs: 2_500, privacy: { mode: 'none' } },
      federation.model.weights,
    );
    const started = Date.now();
    expect(await done).to.equal('completed');
    expect(Date.now() - started).to.be.at.least(2_400);
    const [round] = await federation.store.listRounds(jobId);
    expect(round.clients).to.equal(1);
    await waitFor(() => slow.acks.length === 1, 10_000);
    expect(slow.acks[0].ok).to.equal(false);
    expect(slow.acks[0].error!.message).to.match(/stale/);
  });

  it('pauses with a clear status when fewer than the minimum clients answer', async () => {
    federation = await startFederation({ connect: 1 });
    const { jobId, done } = await federation.coordinator.startJob(
      { rounds: 2, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 1_000, roundRetries: 1, privacy: { mode: 'none' } },
      federation.model.weights,
    );
    expect(await done).to.equal('paused');
    const job = await federation.store.getJob(jobId);
    expect(job!.status).to.equal('paused');
    expect(job!.statusDetail).to.match(/fewer than 2 clients/);
  });
});
