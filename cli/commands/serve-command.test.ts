import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelForWorld, serializeWeights } from '../../models/index.ts';
import { openStore } from '../../server/store/index.ts';
import { runCli, startCli, type RunningCli } from '../../test/helpers/run-cli.ts';
import { storePopulations } from '../store-populations.ts';
import { loadWorld } from '../world-options.ts';

const world = ['--stores', '2', '--shoppers', '200', '--items', '80'];
/** The first admin key the server is started with; a leftover operator token must only earn a message. */
const serverEnv = { FEDREC_ADMIN_KEY: 'serve-test-admin-key-0123456789abcdef', FEDREC_OPERATOR_TOKEN: 'left-over-operator-token' };
/** What `fedrec train --url` is given: an engineer key, created in `before` with `fedrec keys create --url`. */
const operator = { FEDREC_API_KEY: '' };

/** A port that was free a moment ago, so a restarted server can come back where its clients reconnect. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('fedrec serve + fedrec sim --url + fedrec train --url (child processes)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-serve-'));
  const db = join(dir, 'fedrec.db');
  let port: number;
  let url: string;
  let serve: RunningCli | undefined;
  let sim: RunningCli | undefined;
  const json = async (path: string, init: RequestInit = {}): Promise<any> =>
    (await fetch(new URL(path, url), { ...init, headers: { authorization: `Bearer ${operator.FEDREC_API_KEY}`, ...(init.headers as Record<string, string>) } })).json();
  /** Polls the job until `done` holds for it; a server restarting in between is read again. */
  async function jobWhen(id: string, done: (job: any) => boolean, ms = 60_000): Promise<any> {
    const end = Date.now() + ms;
    for (;;) {
      const job = await json(`/v1/jobs/${id}`).catch(() => undefined);
      if (job && done(job)) return job;
      if (Date.now() > end) throw new Error(`job ${id}: condition not met in time (${JSON.stringify(job?.status)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  before(async () => {
    port = await freePort();
    serve = startCli(['serve', '--port', String(port), '--db', db], { env: serverEnv });
    await serve.waitFor(/FEDREC_OPERATOR_TOKEN is set but no longer used/);
    [, url] = await serve.waitFor(/listening on (http:\S+)/);
    const created = await runCli(['keys', 'create', '--role', 'engineer', '--name', 'serve test', '--url', url, '--json'], { FEDREC_API_KEY: serverEnv.FEDREC_ADMIN_KEY });
    expect(created.code, created.stderr).to.equal(0);
    operator.FEDREC_API_KEY = JSON.parse(created.stdout).key;
  });
  after(async () => {
    await sim?.stop('SIGKILL');
    await serve?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains a DP job over registered store clients, each its own process, and reports it like the in-process run', async () => {
    // Each store's registered population is its shoppers in the world, as an operator would register it.
    const { world: w } = await loadWorld({ stores: 2, shoppers: 200, items: 80 }, () => {});
    const populations = storePopulations(w);
    expect(populations.map((p) => p.storeId)).to.deep.equal(['store-01', 'store-02']);
    const registered = await runCli(['clients', 'register', '--db', db, '--store', 'store-01,store-02', '--shoppers', populations.map((p) => p.population).join(','), '--json']);
    expect(registered.code, registered.stderr).to.equal(0);
    const credentials = registered.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(credentials.map((c) => c.storeId)).to.deep.equal(['store-01', 'store-02']);
    const stored = openStore(db);
    const client = await stored.getClient(credentials[0].clientId);
    await stored.close();
    expect(client!.tokenHash, 'only the hash is stored').to.not.include(credentials[0].token);
    const file = join(dir, 'credentials.jsonl');
    writeFileSync(file, registered.stdout, { mode: 0o600 });

    sim = startCli(['sim', '--url', url, '--credentials', file, '--processes', ...world]);
    await sim.waitFor(/2 store client\(s\) connected to .* \(2 processes\)/);
    expect((await json('/v1/clients/connected')).clients).to.have.length(2);

    const train = await runCli(['train', '--url', url, '--json', '--skip-centralized', '--rounds', '3', ...world], operator);
    expect(train.code, train.stderr).to.equal(0);
    const report = JSON.parse(train.stdout);
    expect(report).to.include({ mode: 'federated', rounds: 3, delta: 1e-6, status: 'completed' });
    expect(report.epsilon).to.be.within(0.01, 8);
    expect(report.baselines.centralized, '--skip-centralized says so').to.equal(null);
    expect(report.metrics['recall@10']).to.be.within(0, 1);
    expect(report.options.samplingRate, 'q over both stores, the whole population').to.be.closeTo(0.1, 1e-12);
    expect(train.stderr).to.match(/round 3\/3 \[#{20}\]/);
    const job = await json(`/v1/jobs/${report.jobId}`);
    expect(job.status).to.equal('completed');
    expect(job.rounds.map((r: { clients: number }) => r.clients)).to.deep.equal([2, 2, 2]);
  });

  it('stops on SIGTERM with a job mid-way, and resumes it when started again on the same file', async () => {
    const { world: w, seed } = await loadWorld({ stores: 2, shoppers: 200, items: 80 }, () => {});
    const bytes = serializeWeights(modelForWorld(w, seed).weights);
    const { version } = await json('/v1/model-versions', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    // Rounds of this tiny world take ~0.1 s on a quiet machine: 20 of them keep the job mid-way at the stop.
    const config = { rounds: 20, samplingRate: 0.1, minClients: 2, roundDeadlineMs: 30_000, privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0, delta: 1e-6 } };
    // An approver puts the first test's latest release into serving (before this job starts, so the
    // job is still mid-way at the stop), and the shoppers' app holds an app key.
    const asAdmin = { authorization: `Bearer ${serverEnv.FEDREC_ADMIN_KEY}`, 'content-type': 'application/json' };
    const newKey = async (role: string): Promise<string> => (await json('/v1/keys', { method: 'POST', headers: asAdmin, body: JSON.stringify({ role, name: `sigterm ${role}` }) })).key;
    const [appKey, approverKey] = [await newKey('app'), await newKey('approver')];
    const { models } = await json('/v1/models', { headers: { authorization: `Bearer ${approverKey}` } });
    const latest = models.filter((m: { jobId: string; state: string }) => m.state === 'candidate').sort((a: { version: number }, b: { version: number }) => b.version - a.version)[0];
    const approved = await json(`/v1/models/${latest.version}/approve`, { method: 'POST', headers: { authorization: `Bearer ${approverKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'sigterm test' }) });
    expect(approved.state).to.equal('serving');
    const started = await json('/v1/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config, initialVersion: version }) });
    await jobWhen(started.id, (job) => job.completedRounds >= 2);
    // Shoppers' requests keep coming while the server is told to stop mid-job: each must be answered
    // (never with a 5xx) or refused at the socket once the server no longer listens.
    const body = JSON.stringify({ history: [{ itemId: w.catalog[1].id }, { itemId: w.catalog[2].id }], context: { storeId: w.stores[0].id }, personalization: true, k: 5 });
    const outcomes: (number | string)[] = [];
    let stopping = false;
    const shoppers = Array.from({ length: 4 }, async () => {
      for (let refused = 0; refused < 3; ) {
        try {
          const response = await fetch(new URL('/v1/recommendations', url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${appKey}` }, body });
          await response.text();
          outcomes.push(response.status);
        } catch (thrown) {
          const code = (thrown as { cause?: { code?: string } }).cause?.code ?? 'unknown';
          outcomes.push(code);
          if (!stopping) throw thrown;
          refused++;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    stopping = true;
    expect(await serve!.stop('SIGTERM')).to.equal(0);
    await Promise.all(shoppers);
    expect(outcomes.filter((o) => typeof o === 'number' && o !== 200), 'every answer before the stop was a 200').to.deep.equal([]);
    expect(outcomes.filter((o) => o === 200).length).to.be.greaterThan(0);
    expect(outcomes.filter((o) => typeof o === 'string').every((o) => ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(o as string)), `clean refusals: ${[...new Set(outcomes)].join(', ')}`).to.equal(true);

    const stored = openStore(db);
    const stopped = await stored.getJob(started.id);
    const spentAtStop = await stored.getPrivacySpend(started.id);
    const logged = (await stored.listAudit({ target: started.id })).map((e) => e.action);
    await stored.close();
    expect(logged, 'started by the engineer key, then running, then stopped with the server').to.include.ordered.members(['job.running', 'job.started']);
    expect(logged[logged.length - 1]).to.equal('job.stopped');
    expect(stopped!.status, 'a stop is not a pause: the job stays resumable').to.equal('running');

    serve = startCli(['serve', '--port', String(port), '--db', db], { env: serverEnv });
    await serve.waitFor(new RegExp(`job\\(s\\) to resume \\(${started.id} after round ${stopped!.completedRounds}\\)`));
    // The sim processes reconnect by themselves; the job resumes once both are back.
    const job = await jobWhen(started.id, (j) => j.status !== 'running');
    expect(job.status).to.equal('completed');
    expect(job.rounds.map((r: { round: number }) => r.round)).to.deep.equal(Array.from({ length: config.rounds }, (_, i) => i + 1));
    expect(job.privacy.epsilonSpent).to.be.greaterThan(spentAtStop!.epsilon);
  });

  it('registers clients into the database itself with --db, in one process, and exits 0 on SIGTERM', async () => {
    const before = (await json('/v1/clients/connected')).clients.length;
    const here = startCli(['sim', '--url', url, '--db', db, ...world]);
    await here.waitFor(/2 store client\(s\) connected to /);
    expect((await json('/v1/clients/connected')).clients).to.have.length(before + 2);
    expect(await here.stop('SIGTERM')).to.equal(0);
    expect(await sim!.stop('SIGTERM'), 'the --processes parent and its children stop cleanly').to.equal(0);
    sim = undefined;
    expect(await serve!.stop('SIGTERM')).to.equal(0);
    serve = undefined;
  });
});
