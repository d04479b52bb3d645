/**
 * The operations endpoints over real HTTP on a running coordinator: `/healthz`, `/readyz` before and
 * after a model is served, and `/metrics` parsed as Prometheus text, its named series present and
 * moving after a round, a refused client update and a recommendation.
 */
import { expect } from 'chai';
import { io } from 'socket.io-client';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { storePopulations } from '../../cli/store-populations.ts';
import { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { storeData } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { generateWorld, leaveLastOut } from '../../client-sim/world/index.ts';
import { handshakeRequestHeaders, roundEvents } from '../../protocol/index.ts';
import { modelForWorld, selectBackend } from '../../models/index.ts';
import { startFedrecServer, type FedrecServer } from '../../server/host/start-fedrec-server.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { registerClients } from '../../server/realtime/index.ts';
import { createApiKey, systemActor } from '../../server/governance/index.ts';
import { MemoryStore } from '../../server/store/index.ts';

/** Every sample line of a Prometheus text exposition, `name{labels}` → value; throws on a line that is neither a sample nor a comment. */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    samples.set(match[1] + (match[2] ?? ''), Number(match[3]));
  }
  return samples;
}

describe('operations endpoints on a running coordinator', function () {
  this.timeout(60_000);
  let engineerKey = '';
  let appKey = '';
  const world = generateWorld({ seed: 4, stores: 2, shoppers: 80, items: 50 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 2, { embeddingDim: 8, storeDim: 4 });
  let store: MemoryStore;
  let server: FedrecServer;
  let clients: StoreClient[] = [];
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${engineerKey}` });
  const metrics = async () => {
    const response = await fetch(`${server.url}/metrics`, { headers: auth() });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    return { text, samples: parsePrometheus(text) };
  };

  before(async () => {
    await selectBackend(() => {});
    store = new MemoryStore();
    await store.putCatalog(world.catalog);
    engineerKey = (await createApiKey(store, { role: 'engineer', name: 'test engineer' }, systemActor)).key;
    appKey = (await createApiKey(store, { role: 'app', name: 'test app' }, systemActor)).key;
    server = await startFedrecServer({ store, port: 0, log: () => {} });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });

  it('answers /healthz always, and /readyz 503 with the reason until a model is served', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).to.equal(503);
    const body = await response.json();
    expect(body.error.code).to.equal('unavailable');
    expect(body.error.issues).to.deep.equal([{ path: ['readiness', 'model'], message: 'no model version is served yet (none has been approved)' }]);
  });

  it('keeps /metrics for operators by default, and lists every named series', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).to.equal(401);
    const { text, samples } = await metrics();
    for (const series of [
      'fedrec_http_request_duration_seconds',
      'fedrec_rounds_completed_total',
      'fedrec_round_duration_seconds',
      'fedrec_round_clients_total',
      'fedrec_rejected_client_messages_total',
      'fedrec_round_abandonments_total',
      'fedrec_job_epsilon_spent',
      'fedrec_served_model_version',
      'fedrec_recommendations_total',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text, series).to.match(new RegExp(`^# TYPE ${series} `, 'm'));
    }
    expect(samples.get('fedrec_served_model_version')).to.equal(0);
    expect(samples.get('fedrec_recommendations_total{personalization="true"}')).to.equal(0);
    expect(samples.get('fedrec_http_request_duration_seconds_count{route="/readyz",method="GET",status="503"}')).to.equal(1);
  });

  it('moves after a round, a refused client update and a recommendation; /readyz is then ready', async () => {
    const credentials = await registerClients(store, storePopulations(world), 'ops');
    clients = await connectSimulatedStores({ url: server.url, credentials, world, split, features: model.features, clientOptions: { random: new SeededRandomSource(3) } });
    const config = { rounds: 2, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 20_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.2, delta: 1e-5 } };
    const { job } = await server.coordinator.startJob(config, model.weights).then(async (running) => ({ job: running, status: await running.done }));
    const after = (await metrics()).samples;
    expect(after.get(`fedrec_rounds_completed_total{job="${job.jobId}"}`)).to.equal(2);
    expect(after.get('fedrec_round_duration_seconds_count')).to.equal(2);
    expect(after.get('fedrec_round_clients_total{outcome="answered"}')).to.equal(4);
    expect(after.get('fedrec_round_clients_total{outcome="dropped"}')).to.equal(0);
    expect(after.get('fedrec_round_clients_total{outcome="abandoned"}')).to.equal(0);
    expect(after.get('fedrec_round_abandonments_total{reason="deadline"}')).to.equal(0);
    const epsilon = after.get(`fedrec_job_epsilon_spent{job="${job.jobId}"}`)!;
    expect(epsilon).to.be.greaterThan(0);
    expect(epsilon).to.equal((await store.getPrivacySpend(job.jobId))!.epsilon);
    expect(after.get('fedrec_served_model_version'), 'a released version is a candidate, not served').to.equal(0);
    // An approver puts the last release into serving; the gauge follows.
    const released = (await store.listModelVersions()).filter((v) => v.jobId === job.jobId).sort((a, b) => b.version - a.version)[0];
    await server.lifecycle.approve(released.version, { keyId: 'key_ops', name: 'ops approver', role: 'approver' }, 'operations test');
    expect((await metrics()).samples.get('fedrec_served_model_version')).to.equal(released.version);

    // A client update the coordinator refuses, over real socket.io: counted by its reason.
    const [extra] = await registerClients(store, [{ storeId: world.stores[0].id, population: 10 }], 'ops-extra');
    const socket = io(server.url, { extraHeaders: handshakeRequestHeaders({ clientId: extra.clientId, token: extra.token, shoppers: 1 }), transports: ['websocket'] });
    try {
      const ack = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => socket.emit(roundEvents.update, { jobId: 'no-such-job' }, resolve));
      expect(ack).to.deep.include({ ok: false });
      expect(ack.error!.code).to.equal('conflict');
    } finally {
      socket.close();
    }
    expect((await metrics()).samples.get('fedrec_rejected_client_messages_total{reason="stale-update"}')).to.equal(1);

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready', checks: [{ name: 'store', ready: true }, { name: 'model', ready: true }], servingRefusal: null });

    const request = { history: [{ itemId: world.catalog[1].id }], context: { storeId: world.stores[0].id }, personalization: true, k: 3 };
    const asApp = { 'content-type': 'application/json', authorization: `Bearer ${appKey}` };
    const answered = await fetch(`${server.url}/v1/recommendations`, { method: 'POST', headers: asApp, body: JSON.stringify(request) });
    expect(answered.status).to.equal(200);
    await fetch(`${server.url}/v1/recommendations`, { method: 'POST', headers: asApp, body: JSON.stringify({ ...request, personalization: false }) });
    const last = (await metrics()).samples;
    expect(last.get('fedrec_recommendations_total{personalization="true"}')).to.equal(1);
    expect(last.get('fedrec_recommendations_total{personalization="false"}')).to.equal(1);
    expect(last.get('fedrec_http_request_duration_seconds_count{route="/v1/recommendations",method="POST",status="200"}')).to.equal(2);
  });

  it('counts a client that abandons a round (reason deadline) among the round’s clients, apart from the dropped', async () => {
    // A third store client too slow for the deadline: 400 ms after every shopper's training, ~20 sampled shoppers, a 3 s deadline.
    const [slowCredentials] = await registerClients(store, [{ storeId: world.stores[1].id, population: storePopulations(world)[1].population }], 'ops-slow');
    const slow = new StoreClient({ url: server.url, clientId: slowCredentials.clientId, token: slowCredentials.token, data: storeData(split, model.features, 1), stepDelayMs: 400 });
    clients.push(slow);
    await slow.connect();
    const before = (await metrics()).samples;
    const config = { rounds: 1, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 3_000, roundRetries: 0, privacy: { mode: 'none' } };
    expect(await (await server.coordinator.startJob(config, model.weights)).done).to.equal('completed');
    expect(slow.abandoned.map((a) => a.reason)).to.deep.equal(['deadline']);
    const after = (await metrics()).samples;
    const moved = (series: string): number => after.get(series)! - (before.get(series) ?? 0);
    expect(moved('fedrec_round_clients_total{outcome="answered"}')).to.equal(2);
    expect(moved('fedrec_round_clients_total{outcome="abandoned"}')).to.equal(1);
    expect(moved('fedrec_round_clients_total{outcome="dropped"}')).to.equal(0);
    expect(after.get('fedrec_last_round_clients{outcome="abandoned"}')).to.equal(1);
    expect(after.get('fedrec_last_round_clients{outcome="dropped"}')).to.equal(0);
    expect(moved('fedrec_round_abandonments_total{reason="deadline"}')).to.equal(1);
  });
});
