import { expect } from 'chai';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { storePopulations } from '../../cli/store-populations.ts';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { generateWorld, leaveLastOut } from '../../client-sim/world/index.ts';
import { modelForWorld, selectBackend, serializeWeights } from '../../models/index.ts';
import { startFedrecServer, type FedrecServer } from '../host/start-fedrec-server.ts';
import { expectClose } from '../privacy/expect-close.ts';
import { SeededRandomSource, computeEpsilon } from '../privacy/index.ts';
import { registerClients } from '../realtime/index.ts';
import { jobConfigSchema, resolvePrivacy } from '../rounds/index.ts';
import { MemoryStore } from '../store/index.ts';
import { authorizationFor, createRoleKeys, type RoleKeys } from '../../test/helpers/role-keys.ts';

/** The deployment ledger over real HTTP and socket.io: jobs add up, and one past the lifetime budget is refused. */
describe('privacy ledger routes on a running coordinator', function () {
  this.timeout(90_000);
  const world = generateWorld({ seed: 4, stores: 2, shoppers: 80, items: 50 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 2, { embeddingDim: 8, storeDim: 4 });
  const config = { rounds: 2, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 20_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.2, delta: 1e-5 } };
  const lifetimeDelta = 1e-6;
  // What one such job releases: 2 training rounds, 1 evaluation (the last round).
  const resolved = resolvePrivacy(jobConfigSchema.parse(config), world.shoppers.length);
  if (resolved.mode !== 'dp') throw new Error('expected dp');
  const oneJob = [
    { q: 0.5, sigma: resolved.accountedNoiseMultiplier, steps: 2 },
    { q: 0.5, sigma: resolved.evaluationNoiseMultiplier, steps: 1 },
  ];
  const twoJobs = computeEpsilon([...oneJob, ...oneJob], lifetimeDelta).epsilon;
  const threeJobs = computeEpsilon([...oneJob, ...oneJob, ...oneJob], lifetimeDelta).epsilon;
  let store: MemoryStore;
  let server: FedrecServer;
  let clients: StoreClient[] = [];
  let keys: RoleKeys;
  before(async () => {
    await selectBackend(() => {});
    store = new MemoryStore();
    keys = await createRoleKeys(store);
    server = await startFedrecServer({ store, port: 0, log: () => {} });
    const credentials = await registerClients(store, storePopulations(world), 'ledger');
    clients = await connectSimulatedStores({ url: server.url, credentials, world, split, features: model.features, clientOptions: { random: new SeededRandomSource(5) } });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });

  /** Sends the key of the route's first role (engineer for jobs and the ledger, admin for the budget) unless told which. */
  const call = async (method: string, path: string, body?: Uint8Array | object, authorization = authorizationFor(keys, method, path)) => {
    const binary = body instanceof Uint8Array;
    const payload = body === undefined ? undefined : binary ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body);
    const headers: Record<string, string> = { authorization, ...(payload === undefined ? {} : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }) };
    const response = await fetch(new URL(path, server.url), { method, body: payload, headers });
    return { status: response.status, body: await response.json() };
  };
  const runJob = async (): Promise<{ id: string; status: string }> => {
    const { body: version } = await call('POST', '/v1/model-versions', serializeWeights(model.weights));
    const started = await call('POST', '/v1/jobs', { config, initialVersion: version.version });
    if (started.status !== 200) return started.body;
    let job = started.body;
    const end = Date.now() + 30_000;
    while ((job.status === 'created' || job.status === 'running') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call('GET', `/v1/jobs/${job.id}`)).body;
    }
    return job;
  };

  it('needs the operator token to read the ledger or set the budget, and validates the budget', async () => {
    expect((await call('GET', '/v1/privacy', undefined, 'Bearer wrong')).status).to.equal(401);
    expect((await call('PUT', '/v1/privacy/budget', { budget: { epsilon: 1, delta: 1e-6 } }, 'Bearer wrong')).status).to.equal(401);
    expect((await call('PUT', '/v1/privacy/budget', { budget: { epsilon: 1, delta: 1e-6 } }, `Bearer ${keys.engineer}`)).status, 'only an admin sets the budget').to.equal(403);
    const bad = await call('PUT', '/v1/privacy/budget', { budget: { epsilon: -1, delta: 2 } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).to.have.members(['body.budget.epsilon', 'body.budget.delta']);
    expect((await call('GET', '/v1/privacy')).body).to.deep.include({ budget: null, remaining: null, jobs: [] });
  });

  it('adds two jobs up in RDP, and refuses a third that would exceed the lifetime budget with 409 before any round', async () => {
    // Room for two jobs, not three.
    const budget = { epsilon: (twoJobs + threeJobs) / 2, delta: lifetimeDelta };
    expect((await call('PUT', '/v1/privacy/budget', { budget })).status).to.equal(200);
    const first = await runJob();
    const second = await runJob();
    expect([first.status, second.status]).to.deep.equal(['completed', 'completed']);

    const ledger = (await call('GET', '/v1/privacy')).body;
    expectClose(ledger.spent.epsilon, twoJobs, { relative: 1e-9, label: 'two jobs composed in RDP' });
    expect(ledger.spent.delta).to.equal(lifetimeDelta);
    expectClose(ledger.remaining, budget.epsilon - twoJobs, { relative: 1e-9, label: 'remaining' });
    expect(ledger.jobs.map((j: { jobId: string }) => j.jobId)).to.deep.equal([first.id, second.id]);
    for (const job of ledger.jobs) expectClose(job.epsilon, computeEpsilon(oneJob, lifetimeDelta).epsilon, { relative: 1e-9, label: 'each job alone' });
    // Composed once, the total is less than the two ε added.
    expect(ledger.spent.epsilon).to.be.below(ledger.jobs[0].epsilon + ledger.jobs[1].epsilon);

    const before = (await store.listJobs()).length;
    const third = await call('POST', '/v1/jobs', { config, initialVersion: 0 });
    expect(third.status).to.equal(409);
    expect(third.body.error.code).to.equal('conflict');
    expect(third.body.error.message).to.match(/lifetime budget ε = [\d.]+/).and.match(new RegExp(`from ${twoJobs.toFixed(3)} to ${threeJobs.toFixed(3)}`));
    expect((await store.listJobs()).length, 'no job stored, so no round ran').to.equal(before);
    expect((await call('GET', '/v1/privacy')).body.spent.epsilon).to.equal(ledger.spent.epsilon);
  });
});
