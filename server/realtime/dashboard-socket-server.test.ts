import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { createApiKey, revokeApiKey, systemActor } from '../governance/index.ts';
import { startFedrecServer, type FedrecServer } from '../host/start-fedrec-server.ts';
import type { RoundSummary } from '../rounds/index.ts';
import { MemoryStore, type Role } from '../store/index.ts';
import { dashboardRoundEvent, roundEventOf } from './dashboard-round-event.ts';
import { dashboardNamespace, dashboardSocketPath } from './dashboard-socket-server.ts';

const summary: RoundSummary = {
  jobId: 'job-1',
  round: 3,
  version: 7,
  clients: 4,
  invited: 6,
  loss: 2.5,
  epsilon: 1.25,
  metrics: { 'recall@10': 0.31, 'ndcg@10': 0.17, 'popularity:recall@10': 0.12, 'popularity:ndcg@10': 0.06, 'repeat:recall@10': 0.4, 'repeat:ndcg@10': 0.25, loss: 2.5, shoppers: 812, examples: 4410 },
  clipNorm: 1,
  rejections: { 'norm-bound': 1, 'wrong-nonce': 1 },
  abandoned: { deadline: 1 },
};

describe('dashboard socket.io namespace', function () {
  this.timeout(20_000);
  let store: MemoryStore;
  let server: FedrecServer;
  const sockets: Socket[] = [];
  const keys = {} as Record<Role, string>;
  before(async () => {
    store = new MemoryStore();
    server = await startFedrecServer({ store, port: 0, log: () => {}, env: {} });
    for (const role of ['engineer', 'admin', 'merchant', 'approver', 'app'] as const) keys[role] = (await createApiKey(store, { role, name: `dash ${role}` }, systemActor)).key;
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await server.close();
  });

  /** Connects to the dashboard namespace; resolves with the socket or the refusal's message. */
  const connect = (auth: unknown, namespace = dashboardNamespace): Promise<{ socket: Socket; error?: string }> =>
    new Promise((resolve) => {
      const socket = io(`${server.url}${namespace}`, { path: dashboardSocketPath, transports: ['websocket'], auth: auth as Record<string, unknown>, reconnection: false });
      sockets.push(socket);
      socket.on('connect', () => resolve({ socket }));
      socket.on('connect_error', (error) => resolve({ socket, error: error.message }));
    });

  it('admits engineer and admin keys only, and says why it refuses the rest', async () => {
    expect((await connect({})).error).to.match(/^unauthenticated: this route needs an API key/);
    expect((await connect({ key: 'fedrec_not-a-key' })).error).to.equal('unauthenticated: this API key is not known');
    expect((await connect({ key: 12 })).error).to.match(/^unauthenticated/);
    for (const role of ['merchant', 'approver', 'app'] as const) expect((await connect({ key: keys[role] })).error, role).to.match(/^forbidden: .* the key has the role/);
    for (const role of ['engineer', 'admin'] as const) expect((await connect({ key: keys[role] })).error, role).to.equal(undefined);
    expect((await connect({ key: keys.engineer }, '/')).error, 'the default namespace serves nothing').to.match(/^not-found/);
  });

  it('pushes a finished round with its public figures only, never the un-noised shopper counts', async () => {
    const { socket } = await connect({ key: keys.engineer });
    const received = new Promise<unknown>((resolve) => socket.once('round:finished', resolve));
    await server.dashboard.publishRound(summary);
    const event = (await received) as Record<string, unknown>;
    expect(dashboardRoundEvent.safeParse(event).success).to.equal(true);
    expect(event).to.deep.equal({ jobId: 'job-1', round: 3, version: 7, loss: 2.5, recallAt10: 0.31, ndcgAt10: 0.17, baselines: { popularity: { recallAt10: 0.12, ndcgAt10: 0.06 }, repeat: { recallAt10: 0.4, ndcgAt10: 0.25 } }, epsilon: 1.25, clients: { invited: 6, answered: 4, abandoned: 1, dropped: 1 }, rejections: { 'norm-bound': 1, 'wrong-nonce': 1 } });
    expect(JSON.stringify(event)).to.not.match(/812|4410|shoppers|examples/);
    expect(roundEventOf({ ...summary, metrics: {}, epsilon: null })).to.include({ recallAt10: null, ndcgAt10: null, baselines: null, epsilon: null });
  });

  it('stops sending to a key once it is revoked', async () => {
    const { key, record } = await createApiKey(store, { role: 'engineer', name: 'to revoke' }, systemActor);
    const { socket } = await connect({ key });
    expect(socket.connected).to.equal(true);
    await revokeApiKey(store, record.id, systemActor);
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    let got = false;
    socket.on('round:finished', () => (got = true));
    await server.dashboard.publishRound(summary);
    await disconnected;
    expect(got).to.equal(false);
  });

  it('refuses a WebSocket from another origin before any namespace', async () => {
    const socket = io(`${server.url}${dashboardNamespace}`, { path: dashboardSocketPath, transports: ['websocket'], auth: { key: keys.engineer }, reconnection: false, extraHeaders: { origin: 'https://evil.example' } });
    sockets.push(socket);
    const outcome = await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (error) => resolve(error.message));
    });
    expect(outcome).to.not.equal('connected');
  });
});
