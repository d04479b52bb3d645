/**
 * Nothing in the background takes the process down. A store that throws during a job's round
 * leaves the server answering (the job's failure is observed and logged, not an unhandled
 * rejection), and in a real child process the process-level guards log an unhandled rejection and
 * an uncaught exception and keep serving (without them Node 20 exits on either).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import { storePopulations } from '../../cli/store-populations.ts';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { generateWorld, leaveLastOut } from '../../client-sim/world/index.ts';
import { modelForWorld, selectBackend, serializeWeights, type ModelWeights } from '../../models/index.ts';
import { startFedrecServer, type FedrecServer } from '../../server/host/start-fedrec-server.ts';
import { createLogger } from '../../server/operations/logger.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { registerClients } from '../../server/realtime/index.ts';
import type { RoundRecord } from '../../server/store/index.ts';
import { createApiKey, systemActor } from '../../server/governance/index.ts';
import { MemoryStore } from '../../server/store/index.ts';

/** A store whose round writes fail, as a full disk or a lost database would. */
class FailingRoundStore extends MemoryStore {
  override async completeRound(_round: RoundRecord, _weights: ModelWeights): Promise<void> {
    throw new Error('disk I/O error (simulated)');
  }
}

describe('failures in the background', function () {
  this.timeout(60_000);

  describe('a store that throws during a job', () => {
    let engineerKey: string;
    const world = generateWorld({ seed: 4, stores: 2, shoppers: 80, items: 50 });
    const model = modelForWorld(world, 2, { embeddingDim: 8, storeDim: 4 });
    const lines: string[] = [];
    let server: FedrecServer;
    let clients: StoreClient[] = [];
    before(async () => {
      await selectBackend(() => {});
      const store = new FailingRoundStore();
      await store.putCatalog(world.catalog);
      const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
      engineerKey = (await createApiKey(store, { role: 'engineer', name: 'test engineer' }, systemActor)).key;
      server = await startFedrecServer({ store, port: 0, logger });
      const credentials = await registerClients(store, storePopulations(world), 'bg');
      clients = await connectSimulatedStores({ url: server.url, credentials, world, split: leaveLastOut(world.shoppers), features: model.features, clientOptions: { random: new SeededRandomSource(3) } });
    });
    after(async () => {
      clients.forEach((c) => c.close());
      await server.close();
    });

    it('leaves the server answering, the job failed with its reason over REST, and its failure logged once at error', async () => {
      const headers = { authorization: `Bearer ${engineerKey}` };
      const uploaded = await (await fetch(`${server.url}/v1/model-versions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: new Blob([serializeWeights(model.weights) as Uint8Array<ArrayBuffer>]) })).json();
      const config = { rounds: 2, samplingRate: 0.5, minClients: 2, roundDeadlineMs: 20_000, privacy: { mode: 'none' } };
      const started = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ config, initialVersion: uploaded.version }) });
      expect(started.status).to.equal(200);
      const { id } = await started.json();
      const end = Date.now() + 30_000;
      while (!lines.some((l) => l.includes('training job failed')) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const failures = lines.map((l) => JSON.parse(l)).filter((r) => r.msg === 'training job failed');
      expect(failures).to.have.length(1);
      expect(failures[0]).to.include({ level: 50, job: id });
      expect(failures[0].err.message).to.equal('disk I/O error (simulated)');
      expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
      const job = await (await fetch(`${server.url}/v1/jobs/${id}`, { headers })).json();
      expect(job.status).to.equal('failed');
      expect(job.statusDetail).to.match(/round \d+ failed: internal error: disk I\/O error \(simulated\)/);
      expect((await fetch(`${server.url}/v1/jobs`, { headers })).status).to.equal(200);
    });
  });

  it('keeps a real process serving after an unhandled rejection and an uncaught exception, both logged at error', async () => {
    const script = fileURLToPath(new URL('../helpers/guarded-server.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const end = Date.now() + 20_000;
      while (!/ready (\S+)/.test(stderr) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      const url = /ready (\S+)/.exec(stderr)![1];
      while (stdout.split('\n').filter(Boolean).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      expect(await (await fetch(`${url}/ok`)).text()).to.equal('ok');
      const records = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(records.map((r) => [r.level, r.msg, r.err.message])).to.have.deep.members([
        [50, 'unhandled promise rejection (kept serving)', 'a promise nobody observed'],
        [50, 'uncaught exception (kept serving)', 'a throw from a timer'],
      ]);
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
