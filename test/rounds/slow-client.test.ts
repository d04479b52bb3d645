/**
 * Clients that keep time (issue 15, point 2), over real socket.io on 127.0.0.1: a store client too
 * slow for the round's deadline stops training, abandons the round and says why; the coordinator
 * counts it as dropped with the reason `deadline`, closes the round as soon as every invited client
 * answered or abandoned, and releases it from the clients that answered. An abandonment with a
 * wrong nonce, for a closed round or twice is refused with its reason.
 */
import { expect } from 'chai';
import { io } from 'socket.io-client';
import { handshakeRequestHeaders, roundEvents, type UpdateAck } from '../../protocol/index.ts';
import { hashToken, issueClientToken } from '../../server/realtime/index.ts';
import { startFederation, waitFor, type Federation } from '../helpers/federation-harness.ts';

describe('a store client too slow for the round deadline', function () {
  this.timeout(120_000);
  let federation: Federation | undefined;
  afterEach(async () => {
    await federation?.close();
    federation = undefined;
  });

  it('abandons the round with reason "deadline" before it closes; the round closes then and is released from the others', async () => {
    federation = await startFederation({ connect: 0 });
    await federation.addClient(0);
    // 400 ms after every shopper's training: ~25 sampled shoppers take ~10 s, the deadline is 3 s.
    const slow = await federation.addClient(1, { stepDelayMs: 400 });
    const deadlineMs = 3000;
    const { done } = await federation.coordinator.startJob({ rounds: 2, samplingRate: 0.5, minClients: 1, roundDeadlineMs: deadlineMs, roundRetries: 0, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1 } }, federation.model.weights);
    expect(await done).to.equal('completed');
    expect(slow.abandoned.map((a) => [a.round, a.reason])).to.deep.equal([
      [1, 'deadline'],
      [2, 'deadline'],
    ]);
    expect(slow.abandoned.every((a) => a.steps > 0)).to.equal(true);
    expect(slow.acks, 'the slow client sent no update').to.deep.equal([]);
    for (const round of federation.rounds) {
      expect(round.clients).to.equal(1);
      expect(round.invited).to.equal(2);
      expect(round.abandoned).to.deep.equal({ deadline: 1 });
      // The abandonment came before the deadline (a tenth of it is the client's send margin), so the
      // round closed on it, not on the coordinator's timer.
      expect(round.timing!.collectMs).to.be.below(deadlineMs);
    }
    expect(federation.coordinator.abandonments()).to.deep.equal({ deadline: 2 });
  });

  it('refuses an abandonment without the round’s nonce, for a round not open, or after the client answered', async () => {
    federation = await startFederation({ connect: 0 });
    await federation.addClient(0, { answerDelayMs: 1500 });
    const token = issueClientToken();
    await federation.store.registerClient({ id: 'raw-1', storeId: federation.world.stores[1].id, tokenHash: hashToken(token), population: 50 });
    const socket = io(federation.url, { transports: ['websocket'], reconnection: false, extraHeaders: handshakeRequestHeaders({ clientId: 'raw-1', token, shoppers: 50 }) });
    const requests: { jobId: string; round: number; modelVersion: number; nonce: string }[] = [];
    socket.on(roundEvents.start, (request: (typeof requests)[number]) => requests.push(request));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const send = (message: Record<string, unknown>): Promise<UpdateAck> => new Promise((resolve) => socket.emit(roundEvents.abandon, message, resolve));
    try {
      const { done } = await federation.coordinator.startJob({ rounds: 1, samplingRate: 0.5, minClients: 1, roundDeadlineMs: 20_000, roundRetries: 0 }, federation.model.weights);
      await waitFor(() => requests.length === 1);
      const [request] = requests;
      const base = { jobId: request.jobId, round: request.round, modelVersion: request.modelVersion, reason: 'deadline' };
      expect((await send({ ...base, nonce: 'f'.repeat(32) })).error!.message).to.match(/^wrong-nonce/);
      expect((await send({ ...base, round: 7, nonce: request.nonce })).error!.message).to.match(/^stale-update/);
      expect((await send({ ...base, nonce: request.nonce, reason: 'bored' })).error!.message).to.match(/^update-invalid/);
      expect(await send({ ...base, nonce: request.nonce })).to.deep.equal({ ok: true });
      expect((await send({ ...base, nonce: request.nonce })).error!.message).to.match(/^duplicate-update/);
      expect(await done).to.equal('completed');
      expect(federation.rounds[0].abandoned).to.deep.equal({ deadline: 1 });
    } finally {
      socket.close();
    }
  });
});
