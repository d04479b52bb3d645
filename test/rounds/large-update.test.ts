import { expect } from 'chai';
import { storePopulations } from '../../cli/store-populations.ts';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { selectBackend } from '../../models/backend/select-backend.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { startCoordinator, type CoordinatorHost } from '../../server/host/start-coordinator.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { registerClients } from '../../server/realtime/index.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { waitFor } from '../helpers/federation-harness.ts';

/**
 * A model whose update is over 4 MB crosses real socket.io both ways (the round request carries
 * the model, the answer its update sum). socket.io's default limit is 1 MB (engine.io's
 * maxHttpBufferSize 1e6): the limits are raised on purpose, and each test below shows which one
 * would stop such a round.
 */
describe('a model update over 4 MB over real socket.io', function () {
  this.timeout(60_000);
  // 12,000 items × (1 bias + 3 × 32 embedding + 8 store) values each: over a million float32s.
  const world = generateWorld({ seed: 7, stores: 2, shoppers: 40, items: 12_000 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 3);
  const job = { rounds: 1, samplingRate: 0.25, minClients: 2, roundDeadlineMs: 20_000, roundRetries: 0, privacy: { mode: 'dp' as const, clipNorm: 0.5, noiseMultiplier: 1, delta: 1e-5 } };
  let host: CoordinatorHost | undefined;
  let clients: StoreClient[] = [];
  afterEach(async () => {
    clients.forEach((c) => c.close());
    clients = [];
    await host?.close();
    host = undefined;
  });

  async function federation(limits: { coordinator?: number; client?: number }, sent: number[] = []) {
    await selectBackend(() => {});
    const store = new MemoryStore();
    host = await startCoordinator({ store, port: 0, random: new SeededRandomSource(5), socketOptions: { maxMessageBytes: limits.coordinator }, log: () => {} });
    const credentials = await registerClients(store, storePopulations(world), 'big');
    clients = await connectSimulatedStores({
      url: host.url,
      credentials,
      world,
      split,
      features: model.features,
      clientOptions: {
        random: new SeededRandomSource(9),
        maxMessageBytes: limits.client,
        tamper: (update) => {
          sent.push((update.sum as Uint8Array).byteLength);
          return update;
        },
      },
    });
    return { store, coordinator: host.coordinator };
  }

  it('completes the round with the default limits: every update is 4 bytes per parameter, over 4 MB', async () => {
    const sent: number[] = [];
    const { store, coordinator } = await federation({}, sent);
    expect(model.weights.manifest.size * 4).to.be.greaterThan(4 * 1024 * 1024);
    const started = performance.now();
    const { jobId, done } = await coordinator.startJob(job, model.weights);
    expect(await done).to.equal('completed');
    const seconds = (performance.now() - started) / 1000;
    expect(sent).to.deep.equal([model.weights.manifest.size * 4, model.weights.manifest.size * 4]);
    const [round] = await store.listRounds(jobId);
    expect(round.clients).to.equal(2);
    // The round closes when the second update is in; its acknowledgement is still on the wire.
    await waitFor(() => clients.every((c) => c.acks.length === 1));
    expect(clients.flatMap((c) => c.acks)).to.deep.equal([{ ok: true }, { ok: true }]);
    const released = await store.getModelVersion(round.releasedVersion);
    expect(released!.weights.values.length).to.equal(model.weights.manifest.size);
    expect(released!.weights.values.every(Number.isFinite)).to.equal(true);
    expect(released!.weights.values).to.not.deep.equal(model.weights.values);
    console.log(`      (${(model.weights.manifest.size * 4 / 1e6).toFixed(2)} MB per update, round in ${seconds.toFixed(1)} s)`);
  });

  it("would not complete with socket.io's default 1 MB limit on the coordinator: the update never arrives", async () => {
    const sent: number[] = [];
    const { store, coordinator } = await federation({ coordinator: 1e6 }, sent);
    // Long enough for the clients to finish training on a loaded machine: a client that cannot finish by the deadline abandons the round instead of sending.
    const { jobId, done } = await coordinator.startJob({ ...job, minClients: 1, roundDeadlineMs: 15_000 }, model.weights);
    expect(await done).to.equal('paused');
    expect(sent.length, 'the clients did train and send').to.equal(2);
    expect(await store.listRounds(jobId)).to.deep.equal([]);
    expect(clients.flatMap((c) => c.acks), 'the oversized message was refused before it was read').to.deep.equal([]);
  });

  it('would not complete with a 1 MB limit on the client: the model never reaches it', async () => {
    const sent: number[] = [];
    const { store, coordinator } = await federation({ client: 1e6 }, sent);
    // Long enough for the clients to finish training on a loaded machine: a client that cannot finish by the deadline abandons the round instead of sending.
    const { jobId, done } = await coordinator.startJob({ ...job, minClients: 1, roundDeadlineMs: 15_000 }, model.weights);
    expect(await done).to.equal('paused');
    expect(sent, 'no client received a round to train on').to.deep.equal([]);
    expect(await store.listRounds(jobId)).to.deep.equal([]);
  });
});
