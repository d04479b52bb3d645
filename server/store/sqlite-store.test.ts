import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { bitsOf, expectFedrecError, makeIncrement, makeItem, makeRound, makeWeights } from './contract/store-fixtures.ts';
import { openStore } from './open-store.ts';
import { migrate, migrations, schemaVersion } from './sqlite-schema.ts';
import { SqliteStore } from './sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fedrec-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

describeStoreContract('SqliteStore on a file', async () => {
  const { dir, remove } = await tempDir();
  const store = new SqliteStore(join(dir, 'fedrec.db'));
  return { store, cleanup: async () => (await store.close(), remove()) };
});

describeStoreContract('SqliteStore in memory (openStore)', async () => {
  const store = openStore(':memory:');
  return { store, cleanup: () => store.close() };
});

describe('SqliteStore on disk', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let file: string;

  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    file = join(dir, 'fedrec.db');
  });

  afterEach(() => remove());

  it('creates the schema at the current version, in WAL mode, with durable commits and foreign keys', async () => {
    const store = new SqliteStore(file);
    // synchronous and foreign_keys are per connection, so they can only be read on the store's own.
    const own = (store as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).to.equal(2); // FULL
    expect(own.pragma('foreign_keys', { simple: true })).to.equal(1);
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).to.equal(schemaVersion);
    expect(raw.pragma('journal_mode', { simple: true })).to.equal('wal');
    raw.close();
  });

  it('returns to synchronous = FULL after an exposure batch, a failed one included', async () => {
    const store = new SqliteStore(file);
    const own = (store as unknown as { db: Database.Database }).db;
    await store.addExposure([makeIncrement()]);
    expect(own.pragma('synchronous', { simple: true })).to.equal(2);
    await expectFedrecError(store.addExposure([makeIncrement({ day: 'yesterday' })]), 'invalid-input');
    expect(own.pragma('synchronous', { simple: true })).to.equal(2);
    await store.close();
  });

  it('migrates once: a reopened database is left as it is', () => {
    const raw = new Database(file);
    expect(migrate(raw)).to.equal(0);
    expect(migrate(raw)).to.equal(schemaVersion);
    raw.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const raw = new Database(file);
    raw.pragma(`user_version = ${schemaVersion + 1}`);
    raw.close();
    expect(() => new SqliteStore(file)).to.throw(/newer than this code/);
  });

  it('keeps everything across close and reopen', async () => {
    const first = new SqliteStore(file);
    await first.createJob({ id: 'job-1', config: { rounds: 2 } });
    await first.recordPrivacySpend({ jobId: 'job-1', round: 1, epsilon: 0.4, delta: 1e-5, accountant: { rounds: [] } });
    const weights = makeWeights(1);
    new Uint32Array(weights.values.buffer).set([0x7fc00001, 0x80000000]);
    await first.completeRound(makeRound('job-1', 1), weights);
    await first.putCatalog([makeItem('milk')]);
    await first.addExposure([makeIncrement({ amount: 3 })]);
    await first.close();

    const second = new SqliteStore(file);
    expect(await second.getJob('job-1')).to.deep.include({ completedRounds: 1, config: { rounds: 2 } });
    expect(await second.getPrivacySpend('job-1')).to.deep.include({ round: 1, epsilon: 0.4 });
    expect(bitsOf((await second.getModelVersion(1))!.weights.values)).to.deep.equal(bitsOf(weights.values));
    expect(await second.listCatalog()).to.deep.equal([makeItem('milk')]);
    expect(await second.readExposure({ itemId: 'milk' })).to.deep.equal({ shown: 3 });
    await second.close();
  });

  it('rolls completeRound back as a whole when its last write fails', async () => {
    const store = new SqliteStore(file);
    await store.createJob({ id: 'job-1', config: {} });
    // Fail the round insert, which runs after the model version is written in the same transaction.
    const raw = new Database(file);
    raw.exec(`CREATE TRIGGER fail_round BEFORE INSERT ON rounds BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    raw.close();
    let thrown: unknown;
    await store.completeRound(makeRound('job-1', 1), makeWeights(1)).catch((error: unknown) => (thrown = error));
    expect(String(thrown)).to.match(/injected failure/);
    expect(await store.getModelVersion(1)).to.equal(undefined);
    expect((await store.getJob('job-1'))!.completedRounds).to.equal(0);
    await store.close();
  });

  it('has CHECK constraints behind the validation, for writers that bypass the store', async () => {
    await new SqliteStore(file).close();
    const raw = new Database(file);
    const insert = raw.prepare('INSERT INTO catalog (id, name, category, brand, price, promotion, novelty) VALUES (?, ?, ?, ?, ?, ?, ?)');
    expect(() => insert.run('milk', 'Milk', 'dairy', 'Acme', 0, 0, 0)).to.throw(/CHECK constraint/);
    const client = raw.prepare('INSERT INTO clients (id, store_id, token_hash, population, registered_at) VALUES (?, ?, ?, ?, ?)');
    expect(() => client.run('c1', 's1', 'raw-token', 10, 'now')).to.throw(/CHECK constraint/);
    expect(() => client.run('c1', 's1', 'a'.repeat(64), -1, 'now')).to.throw(/CHECK constraint/);
    expect(() => raw.prepare("INSERT INTO jobs (id, config, status, created_at, updated_at) VALUES ('j', '{}', 'exploded', 'now', 'now')").run()).to.throw(/CHECK constraint/);
    raw.close();
  });

  it('migrates a version-1 database: clients get population 0, jobs keep their rounds and may be cancelled', async () => {
    const raw = new Database(file);
    raw.exec(migrations[0]);
    raw.pragma('user_version = 1');
    raw.exec(`INSERT INTO jobs (id, config, status, created_at, updated_at) VALUES ('job-1', '{}', 'running', 'then', 'then');
      INSERT INTO model_versions (version, job_id, round, metrics, manifest, weights, created_at) VALUES (0, 'job-1', 0, '{}', '{}', x'00', 'then');
      INSERT INTO clients (id, store_id, token_hash, registered_at) VALUES ('c1', 's1', '${'a'.repeat(64)}', 'then');`);
    raw.close();
    const store = new SqliteStore(file);
    expect((await store.getClient('c1'))!.population).to.equal(0);
    expect((await store.getJob('job-1'))!.status).to.equal('running');
    await store.setJobStatus('job-1', 'cancelled', 'operator');
    expect((await store.getJob('job-1'))!.status).to.equal('cancelled');
    expect((await store.listModelVersions()).map((v) => v.jobId)).to.deep.equal(['job-1']);
    await store.close();
    const check = new Database(file);
    expect(check.pragma('foreign_key_check')).to.deep.equal([]);
    expect(check.pragma('user_version', { simple: true })).to.equal(schemaVersion);
    check.close();
  });

  it('shares state between two stores on the same file, as two processes would', async () => {
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    await a.createJob({ id: 'job-1', config: {} });
    await b.recordPrivacySpend({ jobId: 'job-1', round: 2, epsilon: 0.3, delta: 1e-5, accountant: null });
    await expectFedrecError(a.recordPrivacySpend({ jobId: 'job-1', round: 1, epsilon: 0.1, delta: 1e-5, accountant: null }), 'conflict');
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps every privacy spend that returned before the process was SIGKILLed', async function () {
    this.timeout(30_000);
    const script = join(dir, 'spend-forever.mjs');
    // Records one spend per round and reports each round only after its promise resolved.
    await writeFile(script, `
      const { SqliteStore } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'server/store/sqlite-store.ts')).href)});
      const store = new SqliteStore(${JSON.stringify(file)});
      await store.createJob({ id: 'job-1', config: {} });
      for (let round = 1; ; round++) {
        await store.recordPrivacySpend({ jobId: 'job-1', round, epsilon: round / 10, delta: 1e-5, accountant: { steps: round } });
        process.stdout.write(round + '\\n');
        await new Promise((resolve) => setImmediate(resolve));
      }
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    // 'close' (not 'exit') waits for stdout to drain, so `reported` ends as the last round reported.
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    let reported = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        reported = Math.max(reported, ...chunk.toString().trim().split('\n').map(Number));
        if (reported >= 25 && child.kill('SIGKILL')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it was killed:\n${stderr}`)));
    });
    expect(await closed).to.equal('SIGKILL');

    const store = new SqliteStore(file);
    const spend = (await store.getPrivacySpend('job-1'))!;
    // The kill may land during the next write, which is either fully there or not at all.
    expect(spend.round).to.be.within(reported, reported + 1);
    expect(spend).to.deep.include({ epsilon: spend.round / 10, accountant: { steps: spend.round } });
    await store.close();
  });
});
