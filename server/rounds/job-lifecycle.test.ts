/**
 * Job lifecycle writes are atomic on a real SQLite file. A crash (here: the second write failing
 * inside SQLite, as a full disk or an I/O error would) between a job's creation and its initial
 * model version, or between a status change and its audit entry, must leave neither half: a job
 * without the version it would resume from fails on resume, and a status without its entry is a
 * governance action the hash-chained log never saw.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { auditedJobStatus } from '../governance/index.ts';
import { SeededRandomSource } from '../privacy/index.ts';
import { SqliteStore } from '../store/index.ts';
import { makeWeights } from '../store/contract/store-fixtures.ts';
import { Coordinator } from './coordinator.ts';

describe('job lifecycle writes on SQLite: all or nothing', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let coordinator: Coordinator;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedrec-lifecycle-'));
    file = join(dir, 'fedrec.db');
    store = new SqliteStore(file);
    // The coordinator's view of the store, as start-coordinator.ts wires it; one client of 100 shoppers "connected".
    const transport = { connectedClients: () => [{ id: 'store-1', shoppers: 100 }], sendRound: () => {} };
    coordinator = new Coordinator({ store: auditedJobStatus(store), transport, random: new SeededRandomSource(1) });
  });
  afterEach(async () => {
    await coordinator.stopAll();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Makes every later insert into `table` fail inside SQLite, from another connection to the same file. */
  function failInserts(table: string): () => void {
    const other = new Database(file);
    other.exec(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    return () => {
      other.exec(`DROP TRIGGER fail_${table}`);
      other.close();
    };
  }

  const job = { rounds: 1, samplingRate: 0.5, minClients: 1, roundDeadlineMs: 60_000, privacy: { mode: 'none' } };

  it('a job is stored with its initial model version, or not at all', async () => {
    const restore = failInserts('model_versions');
    const error = await coordinator.startJob(job, makeWeights(0)).catch((e: unknown) => e);
    restore();
    expect(error).to.be.instanceOf(Error);
    expect(await store.listJobs(), 'no job left without its version').to.deep.equal([]);
    const { jobId } = await coordinator.startJob(job, makeWeights(0));
    expect(await store.latestModelVersion(jobId)).to.deep.include({ jobId, round: 0, epsilon: 0 });
  });

  it('a status changes with its audit entry, or not at all', async () => {
    await store.createJob({ id: 'job-1', config: {} });
    const restore = failInserts('audit_log');
    const error = await coordinator.cancelJob('job-1').catch((e: unknown) => e);
    restore();
    expect(error).to.be.instanceOf(Error);
    expect((await store.getJob('job-1'))!.status, 'no status without its audit entry').to.equal('created');
    expect(await store.listAudit()).to.deep.equal([]);
    await coordinator.cancelJob('job-1');
    expect((await store.getJob('job-1'))!.status).to.equal('cancelled');
    expect((await store.listAudit()).map((e) => [e.action, e.target])).to.deep.equal([['job.cancelled', 'job-1']]);
  });
});
