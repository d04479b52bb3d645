/**
 * The store client reads why the coordinator refused its connection (real socket.io on 127.0.0.1;
 * here, not beside client-sim/store-client/, because it needs a coordinator, which the store
 * client's own folder never imports):
 * the coordinator refuses before the websocket exists, with a 4xx whose body names the reason, and
 * the client surfaces that reason as a HandshakeRefusedError. A final refusal stops it (no retry
 * can succeed with the same credentials); a transient one (its previous connection is still open)
 * is retried until it gets through.
 */
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { handshakeRequestHeaders } from '../../protocol/index.ts';
import { startCoordinator, type CoordinatorHost } from '../../server/host/start-coordinator.ts';
import { hashToken, issueClientToken } from '../../server/realtime/index.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { storeData } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { HandshakeRefusedError, StoreClient, type StoreClientOptions } from '../../client-sim/store-client/store-client.ts';
import { waitFor } from '../helpers/federation-harness.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a store client the coordinator refuses', function () {
  this.timeout(30_000);
  const world = generateWorld({ seed: 3, stores: 2, shoppers: 60, items: 40 });
  const model = modelForWorld(world, 5, { embeddingDim: 4, storeDim: 2 });
  const data = storeData(leaveLastOut(world.shoppers), model.features, 0);
  let host: CoordinatorHost;
  let store: MemoryStore;
  const token = issueClientToken();
  const clients: StoreClient[] = [];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    store = new MemoryStore();
    host = await startCoordinator({ store, port: 0, log: () => {} });
    await store.registerClient({ id: 'store-0-a', storeId: world.stores[0].id, tokenHash: hashToken(token), population: data.train.length });
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    sockets.splice(0).forEach((s) => s.close());
    await host.close();
  });

  const client = (options: Partial<StoreClientOptions>): StoreClient => {
    const made = new StoreClient({ url: host.url, clientId: 'store-0-a', token, data, ...options });
    clients.push(made);
    return made;
  };
  const refusalOf = async (connecting: Promise<void>): Promise<HandshakeRefusedError> => {
    const error = await connecting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(HandshakeRefusedError);
    return error as HandshakeRefusedError;
  };

  it('with a wrong token: rejects with the coordinator’s reason and stops, instead of retrying for ever', async () => {
    const refused = client({ token: issueClientToken() });
    const error = await refusalOf(refused.connect());
    expect(error.refusal).to.deep.include({ status: 400, reason: 'unauthenticated', message: 'unauthenticated: unknown client or wrong token', final: true });
    expect(error.message).to.equal('the coordinator refused store client store-0-a (HTTP 400): unauthenticated: unknown client or wrong token');
    expect(refused.refused).to.equal(error);
    // socket.io-client would retry after 1 s, then 2 s…: in 3.5 s nothing more reaches the coordinator.
    await sleep(3_500);
    expect(host.coordinator.rejections()).to.deep.equal({ unauthenticated: 1 });
  });

  it('with an unknown client id: the same reason', async () => {
    const error = await refusalOf(client({ clientId: 'store-9-nobody' }).connect());
    expect(error.refusal.reason).to.equal('unauthenticated');
  });

  it('refused on a reconnection (its population was unset meanwhile): tells its host once, with the reason, and stops', async () => {
    const refusals: HandshakeRefusedError[] = [];
    const connected = client({ onRefused: (e) => refusals.push(e) });
    await connected.connect();
    await store.setClientPopulation('store-0-a', 0);
    // The link drops (not a server-side disconnect, after which socket.io-client would not retry at all).
    for (const socket of host.sockets.io.sockets.sockets.values()) socket.conn.close();
    await waitFor(() => refusals.length === 1);
    expect(refusals[0].refusal).to.deep.include({ reason: 'population-unset', final: true });
    expect(refusals[0].message).to.match(/population-unset: client store-0-a has no registered population: the operator sets it/);
    await sleep(3_500);
    expect(refusals.length).to.equal(1);
    expect(host.coordinator.rejections()).to.deep.equal({ 'population-unset': 1 });
  });

  it('refused while its previous connection still lives: says so, retries, and gets through once that one closed', async () => {
    const previous = io(host.url, { transports: ['websocket'], reconnection: false, extraHeaders: handshakeRequestHeaders({ clientId: 'store-0-a', token, shoppers: 1 }) });
    sockets.push(previous);
    await new Promise<void>((resolve) => previous.once('connect', () => resolve()));
    const lines: string[] = [];
    const retrying = client({ log: (line) => lines.push(line) });
    const error = await refusalOf(retrying.connect());
    expect(error.refusal).to.deep.include({ reason: 'duplicate-connection', final: false });
    expect(error.message).to.match(/\(retrying\)$/);
    previous.close();
    await waitFor(() => host.coordinator.connectedClients().length === 0);
    // socket.io-client's next attempt comes 0.5–1.5 s after the refusal (its reconnection delay).
    await waitFor(() => host.coordinator.connectedClients().length === 1);
    expect(host.coordinator.rejections()['duplicate-connection']).to.be.at.least(1);
    expect(retrying.refused).to.equal(undefined);
    expect(lines[0]).to.match(/^store-0-a: the coordinator refused store client store-0-a \(HTTP 400\): duplicate-connection: /);
  });
});
