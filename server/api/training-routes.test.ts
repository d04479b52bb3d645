import { expect } from 'chai';
import { createServer } from 'node:http';
import { storePopulations } from '../../cli/store-populations.ts';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { generateWorld, leaveLastOut } from '../../client-sim/world/index.ts';
import { deserializeWeights, modelForWorld, selectBackend, serializeWeights } from '../../models/index.ts';
import { createApiKey } from '../governance/index.ts';
import { startFedrecServer, type FedrecServer } from '../host/start-fedrec-server.ts';
import { SeededRandomSource } from '../privacy/index.ts';
import { registerClients } from '../realtime/index.ts';
import { ServedModel } from '../serving/index.ts';
import { MemoryStore } from '../store/index.ts';
import { createApp } from './create-app.ts';

describe('training routes on a running coordinator', function () {
  this.timeout(60_000);
  let engineerKey: string;
  let adminKey: string;
  const world = generateWorld({ seed: 4, stores: 2, shoppers: 80, items: 50 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 2, { embeddingDim: 8, storeDim: 4 });
  const bytes = serializeWeights(model.weights);
  const config = { rounds: 2, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 20_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.2, delta: 1e-5 } };
  let store: MemoryStore;
  let server: FedrecServer;
  let clients: StoreClient[] = [];
  before(async () => {
    await selectBackend(() => {});
    store = new MemoryStore();
    server = await startFedrecServer({ store, port: 0, log: () => {}, env: {} });
    engineerKey = (await createApiKey(store, { role: 'engineer', name: 'training test' }, 'system')).key;
    adminKey = (await createApiKey(store, { role: 'admin', name: 'training test admin' }, 'system')).key;
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });

  const call = async (method: string, path: string, body?: Uint8Array | object, type = body instanceof Uint8Array ? 'application/octet-stream' : 'application/json', key = engineerKey) => {
    const payload = body === undefined ? undefined : body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...(payload === undefined ? {} : { 'content-type': type }) };
    const response = await fetch(new URL(path, server.url), { method, body: payload, headers });
    const binary = response.headers.get('content-type')?.startsWith('application/octet-stream');
    return { status: response.status, body: binary ? new Uint8Array(await response.arrayBuffer()) : await response.json() };
  };

  it("sets a registered client's population for an admin only, and refuses anything but an exact count", async () => {
    await store.registerClient({ id: 'pop-client', storeId: 's', tokenHash: 'a'.repeat(64), population: 10 });
    const setPopulation = (clientId: string, body: object, key = adminKey) => call('PUT', `/v1/clients/${clientId}/population`, body, 'application/json', key);
    expect((await setPopulation('pop-client', { shoppers: 4000 }, engineerKey)).status, 'an engineer may not').to.equal(403);
    const set = await setPopulation('pop-client', { shoppers: 4000 });
    expect(set.status).to.equal(200);
    expect(set.body).to.deep.equal({ id: 'pop-client', storeId: 's', shoppers: 4000 });
    expect((await store.getClient('pop-client'))!.population).to.equal(4000);
    for (const shoppers of [-1, 1.5, 2 ** 60, '12']) {
      const bad = await setPopulation('pop-client', { shoppers });
      expect(bad.status, String(shoppers)).to.equal(400);
      expect(bad.body.error.issues[0].path).to.deep.equal(['body', 'shoppers']);
    }
    expect((await setPopulation('nobody', { shoppers: 1 })).status).to.equal(404);
    const anonymous = await fetch(new URL('/v1/clients/pop-client/population', server.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"shoppers":1}' });
    expect(anonymous.status).to.equal(401);
    expect((await store.getClient('pop-client'))!.population).to.equal(4000);
  });

  it('stores uploaded weights as a version and refuses bytes that are not a model', async () => {
    const uploaded = await call('POST', '/v1/model-versions', bytes);
    expect(uploaded.status).to.equal(200);
    expect(uploaded.body).to.include({ jobId: null, round: 0, parameters: model.weights.manifest.size });
    const back = await call('GET', `/v1/model-versions/${uploaded.body.version}/weights`);
    expect(Buffer.from(back.body).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), 'bit-identical bytes').to.equal(true);

    const garbage = await call('POST', '/v1/model-versions', new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    expect(garbage.status).to.equal(400);
    expect(garbage.body.error.issues[0].path).to.deep.equal(['body']);
    const asJson = await call('POST', '/v1/model-versions', { values: [1, 2, 3] });
    expect(asJson.status, 'weights are never JSON numbers').to.equal(400);
    expect((await call('GET', '/v1/model-versions/999/weights')).status).to.equal(404);
    expect((await call('GET', '/v1/model-versions/abc/weights')).body.error.code).to.equal('invalid-input');
  });

  it('refuses a job while fewer than its minimum clients are connected, and names every bad config field', async () => {
    const { body } = await call('POST', '/v1/model-versions', bytes);
    const early = await call('POST', '/v1/jobs', { config, initialVersion: body.version });
    expect(early.status).to.equal(503);
    expect(early.body.error.message).to.match(/0 of the job's minimum 2 clients/);
    const bad = await call('POST', '/v1/jobs', { config: { ...config, rounds: 0, samplingRate: 2, serverOptimizer: 'sgd' }, initialVersion: -1 });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).to.have.members(['body.config.rounds', 'body.config.samplingRate', 'body.config.serverOptimizer', 'body.initialVersion']);
    expect((await call('POST', '/v1/jobs', { config, initialVersion: 12345 })).status).to.equal(404);
    expect((await call('GET', '/v1/jobs/no-such-job')).status).to.equal(404);
  });

  it('runs a job started over REST with connected store clients and reports its rounds and ε, but no shopper counts', async () => {
    const credentials = await registerClients(store, storePopulations(world), 'rest');
    clients = await connectSimulatedStores({ url: server.url, credentials, world, split, features: model.features, clientOptions: { random: new SeededRandomSource(3) } });
    const connected = await call('GET', '/v1/clients/connected');
    expect(connected.body.clients.map((c: { id: string }) => c.id).sort()).to.deep.equal(credentials.map((c) => c.clientId).sort());
    expect(connected.body.clients.reduce((n: number, c: { shoppers: number }) => n + c.shoppers, 0)).to.equal(world.shoppers.length);

    const { body: version } = await call('POST', '/v1/model-versions', bytes);
    const started = await call('POST', '/v1/jobs', { config, initialVersion: version.version });
    expect(started.status).to.equal(200);
    expect(started.body.privacy).to.include({ mode: 'dp', samplingRate: 0.5, expectedShoppers: 40, noiseMultiplier: 1.2, budgetEpsilon: null });
    let job = started.body;
    const end = Date.now() + 30_000;
    while ((job.status === 'created' || job.status === 'running') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call('GET', `/v1/jobs/${job.id}`)).body;
    }
    expect(job.status).to.equal('completed');
    expect(job.rounds.map((r: { round: number }) => r.round)).to.deep.equal([1, 2]);
    expect(job.rounds[1].epsilon).to.be.greaterThan(job.rounds[0].epsilon);
    expect(job.privacy.epsilonSpent).to.equal(job.rounds[1].epsilon);
    expect(job.rounds[1]['recall@10']).to.be.within(0, 1);
    for (const name of ['popularity', 'repeat']) for (const metric of ['recall@10', 'ndcg@10']) expect(job.rounds[1].baselines[name][metric], `${name} ${metric}`).to.be.within(0, 1);
    expect(job.rounds[1].privacyCost.releases[1].covers).to.match(/baselines/);
    // Per-segment evaluation (issue 14 point 4): every band, released at the evaluation's σ.
    const evaluatedRound = job.rounds.find((r: { 'recall@10'?: number }) => r['recall@10'] !== undefined);
    expect(Object.keys(evaluatedRound.segments)).to.have.members(['new', 'occasional', 'regular']);
    for (const band of Object.values(evaluatedRound.segments) as { 'recall@10': number; 'ndcg@10': number; evaluated: number }[]) {
      expect(band['recall@10']).to.be.within(0, 1);
      expect(band['ndcg@10']).to.be.within(0, 1);
      expect(Number.isInteger(band.evaluated) && band.evaluated >= 0).to.equal(true);
    }
    expect(evaluatedRound.privacyCost.releases[1].covers).to.match(/per history band/).and.to.match(/baselines/);
    for (const r of job.rounds) expect(r).to.not.have.any.keys('shoppers', 'examples');
    const weights = deserializeWeights((await call('GET', `/v1/model-versions/${job.latestVersion}/weights`)).body);
    expect(weights.values).to.deep.equal((await store.getModelVersion(job.latestVersion))!.weights.values);
    expect(server.servedModel.current(), 'a released version is a candidate: nothing serves until an approval').to.equal(undefined);
    expect((await server.lifecycle.list()).find((m) => m.version === job.latestVersion)?.state).to.equal('candidate');
    const [startEntry] = await store.listAudit({ action: 'job.started', target: job.id });
    expect(startEntry.actor).to.equal((await store.listApiKeys()).find((k) => k.role === 'engineer')!.id);
    expect((await store.listAudit({ target: job.id })).map((e) => e.action)).to.include.members(['job.started', 'job.running', 'job.completed']);
    const listed = await call('GET', '/v1/jobs');
    expect(listed.body.jobs.find((j: { id: string }) => j.id === job.id)).to.include({ status: 'completed', completedRounds: 2, rounds: 2 });
  });

  it("refuses server learning-rate scales that name a parameter the job's model lacks, before any job is stored", async () => {
    expect(clients.length, 'the previous test connected the stores').to.be.greaterThan(0);
    const { body: version } = await call('POST', '/v1/model-versions', bytes);
    const jobsBefore = (await store.listJobs()).length;
    const refused = await call('POST', '/v1/jobs', { config: { ...config, serverLearningRateScales: { repeatWeight: 0.5, repeatWieght: 0.5 } }, initialVersion: version.version });
    expect(refused.status).to.equal(400);
    expect(refused.body.error.code).to.equal('invalid-input');
    expect(refused.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).to.deep.equal(['serverLearningRateScales.repeatWieght']);
    expect((await store.listJobs()).length, 'no job stored').to.equal(jobsBefore);
    const zero = await call('POST', '/v1/jobs', { config: { ...config, serverLearningRateScales: { repeatWeight: 0 } }, initialVersion: version.version });
    expect(zero.status).to.equal(400);
    expect(zero.body.error.issues[0].path).to.deep.equal(['body', 'config', 'serverLearningRateScales', 'repeatWeight']);
  });

  it('answers 503 on the job routes of an API that runs no coordinator', async () => {
    const bare = new MemoryStore();
    const { key } = await createApiKey(bare, { role: 'engineer', name: 'no coordinator' }, 'system');
    const app = createApp({ store: bare, servedModel: new ServedModel(), log: () => {} });
    const listening = createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => listening.once('listening', r));
    try {
      const { port } = listening.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ config, initialVersion: 0 }) });
      expect(response.status).to.equal(503);
      expect(((await response.json()) as { error: { message: string } }).error.message).to.match(/fedrec serve/);
    } finally {
      listening.close();
    }
  });
});
