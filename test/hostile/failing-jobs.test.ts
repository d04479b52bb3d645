/**
 * Issue 9, point 3, over real HTTP and real socket.io: a store that throws during a job leaves the
 * server answering and the job failed with its reason; a failed job is not resumed when the
 * coordinator restarts on the same file; an operator cancels a job at once (REST and `fedrec jobs
 * cancel`), and a cancelled job is not resumed either.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storePopulations } from '../../cli/store-populations.ts';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
// The world's index, which re-exports the data model wherever it lives.
import { generateWorld, leaveLastOut } from '../../client-sim/world/index.ts';
import { selectBackend } from '../../models/backend/select-backend.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { serializeWeights } from '../../models/weights/model-weights.ts';
import { startFedrecServer, type FedrecServer } from '../../server/host/start-fedrec-server.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { registerClients } from '../../server/realtime/index.ts';
import { createApiKey, systemActor } from '../../server/governance/index.ts';
import type { FedrecStore, RoundRecord } from '../../server/store/fedrec-store.ts';
import { SqliteStore } from '../../server/store/sqlite-store.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { runCli } from '../helpers/run-cli.ts';

/** An engineer's key (jobs, model versions, cancel), created in each store the suite starts on. */
const engineerKey = 'fedrec_failing-jobs-engineer-key-for-tests-0123456789';
const appKey = 'fedrec_failing-jobs-app-key-for-tests-0123456789abcdef';

/** The store, except that completing round `failAt` throws (a full disk, a lost connection…). */
function failingStore(inner: FedrecStore, failAt: { round: number }): FedrecStore {
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'completeRound') {
        return async (round: RoundRecord, weights: ModelWeights) => {
          if (round.round === failAt.round) throw new Error('SQLITE_FULL: database or disk is full');
          return target.completeRound(round, weights);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('failing and cancelled jobs over real HTTP and socket.io', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-failing-'));
  const db = join(dir, 'fedrec.db');
  let server: FedrecServer | undefined;
  let clients: StoreClient[] = [];
  let sqlite: SqliteStore | undefined;

  const world = generateWorld({ seed: 3, stores: 2, shoppers: 120, items: 50 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 5, { embeddingDim: 8, storeDim: 4 });

  async function start(store: FedrecStore): Promise<FedrecServer> {
    await selectBackend(() => {});
    if ((await store.listApiKeys()).length === 0) {
      await createApiKey(store, { role: 'engineer', name: 'test engineer', secret: engineerKey }, systemActor);
      await createApiKey(store, { role: 'app', name: 'test app', secret: appKey }, systemActor);
    }
    server = await startFedrecServer({ store, port: 0, log: () => {} });
    const credentials = await registerClients(store, storePopulations(world), 'fail');
    clients = await connectSimulatedStores({ url: server.url, credentials, world, split, features: model.features, clientOptions: { random: new SeededRandomSource(3) } });
    return server;
  }

  async function stop(): Promise<void> {
    clients.forEach((c) => c.close());
    clients = [];
    await server?.close();
    server = undefined;
    await sqlite?.close();
    sqlite = undefined;
  }

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const binary = body instanceof Uint8Array;
    const answer = await fetch(new URL(path, server!.url), {
      method,
      headers: { authorization: `Bearer ${engineerKey}`, ...(body === undefined ? {} : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }) },
      ...(body === undefined ? {} : { body: binary ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body) }),
    });
    return { status: answer.status, body: await answer.json() };
  }

  async function jobWhen(id: string, predicate: (job: any) => boolean): Promise<any> {
    const end = Date.now() + 60_000;
    for (;;) {
      const { body } = await call('GET', `/v1/jobs/${id}`);
      if (predicate(body)) return body;
      if (Date.now() > end) throw new Error(`job ${id}: still ${body.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = { rounds: 3, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 20_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1, delta: 1e-5 } };
  let failedId = '';
  let cancelledId = '';

  it('a store that throws during a job leaves the server answering, and the job failed with its reason', async () => {
    sqlite = new SqliteStore(db);
    const failAt = { round: 2 };
    await start(failingStore(sqlite, failAt));
    const { body: version } = await call('POST', '/v1/model-versions', serializeWeights(model.weights));
    const { status, body: started } = await call('POST', '/v1/jobs', { config, initialVersion: version.version });
    expect(status, JSON.stringify(started)).to.equal(200);
    failedId = started.id;
    const job = await jobWhen(failedId, (j) => j.status !== 'running');
    expect(job.status).to.equal('failed');
    expect(job.statusDetail).to.equal('round 2 failed: internal error: SQLITE_FULL: database or disk is full');
    expect(job.completedRounds).to.equal(1);
    // The process is up and serves: the API and the round adapter both.
    expect((await call('GET', '/v1/jobs')).status).to.equal(200);
    expect((await fetch(new URL('/openapi.json', server!.url))).status).to.equal(200);
    expect((await call('GET', '/v1/clients/connected')).body.clients).to.have.length(2);
    expect((await call('POST', `/v1/jobs/${failedId}/cancel`)).status, 'a failed job cannot be cancelled').to.equal(409);
    failAt.round = -1; // the disk has room again
  });

  it('POST /v1/jobs/{id}/cancel and `fedrec jobs cancel ID` stop a job at once; it reads cancelled', async () => {
    const { body: version } = await call('POST', '/v1/model-versions', serializeWeights(model.weights));
    const long = { ...config, rounds: 1000, privacy: { mode: 'none' } };
    const { body: viaRest } = await call('POST', '/v1/jobs', { config: long, initialVersion: version.version });
    await jobWhen(viaRest.id, (j) => j.completedRounds >= 1);
    const asked = performance.now();
    const { status, body: cancelled } = await call('POST', `/v1/jobs/${viaRest.id}/cancel`);
    expect(status, JSON.stringify(cancelled)).to.equal(200);
    expect(performance.now() - asked, 'at once: within the round in progress').to.be.below(5_000);
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.statusDetail).to.match(/^cancelled by the operator after round \d+$/);
    expect((await call('POST', `/v1/jobs/${viaRest.id}/cancel`)).status, 'twice is a conflict').to.equal(409);
    expect((await call('POST', '/v1/jobs/no-such-job/cancel')).status).to.equal(404);

    const { body: viaCli } = await call('POST', '/v1/jobs', { config: long, initialVersion: version.version });
    cancelledId = viaCli.id;
    await jobWhen(cancelledId, (j) => j.completedRounds >= 1);
    const cli = await runCli(['jobs', 'cancel', cancelledId, '--url', server!.url], { FEDREC_API_KEY: engineerKey });
    expect(cli.code, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(new RegExp(`^job ${cancelledId}: cancelled \\(cancelled by the operator after round \\d+\\)`));
    expect((await call('GET', `/v1/jobs/${cancelledId}`)).body.status).to.equal('cancelled');
  });

  it('a coordinator restarted on the same file leaves the failed and cancelled jobs as they are, and serves', async () => {
    await stop();
    sqlite = new SqliteStore(db);
    await start(sqlite);
    expect(await server!.coordinator.resumeJobs(), 'nothing to resume').to.deep.equal([]);
    expect((await call('GET', `/v1/jobs/${failedId}`)).body).to.deep.include({ status: 'failed', completedRounds: 1 });
    expect((await call('GET', `/v1/jobs/${cancelledId}`)).body.status).to.equal('cancelled');
    // It serves the model the failed job released in round 1 once an approver approves it, and takes new jobs.
    const released = (await sqlite.listModelVersions()).filter((v) => v.jobId === failedId && v.round === 1);
    expect(released, 'the failed job released round 1').to.have.length(1);
    await server!.lifecycle.approve(released[0].version, { keyId: 'key_test', name: 'test approver', role: 'approver' }, 'restart test');
    const recommended = await fetch(new URL('/v1/recommendations', server!.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${appKey}` },
      body: JSON.stringify({ history: [], context: { storeId: world.stores[0].id }, personalization: false, k: 3 }),
    });
    expect(recommended.status).to.equal(200);
    const { body: version } = await call('POST', '/v1/model-versions', serializeWeights(model.weights));
    const { body: next } = await call('POST', '/v1/jobs', { config: { ...config, rounds: 1 }, initialVersion: version.version });
    expect((await jobWhen(next.id, (j) => j.status !== 'running')).status).to.equal('completed');
  });
});
