import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeEpsilon } from '../../server/privacy/index.ts';
import { openStore } from '../../server/store/index.ts';
import { runCommand } from '../run-command.ts';

/** Runs a command line in this process, capturing stdout and stderr. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { log, error } = console;
  let stdout = '';
  let stderr = '';
  console.log = (...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`);
  console.error = (...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`);
  try {
    return { code: await runCommand(argv), stdout, stderr };
  } finally {
    Object.assign(console, { log, error });
  }
}

describe('fedrec privacy ledger and --privacy-budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-ledger-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the lifetime spend composed over every job of the file, each job, and what remains', async () => {
    const db = join(dir, 'ledger.db');
    const store = openStore(db);
    const a = [{ q: 0.1, sigma: 1.0, steps: 10 }];
    const b = [{ q: 0.05, sigma: 2.0, steps: 20 }];
    await store.createJob({ id: 'job-a', config: {} });
    await store.createJob({ id: 'job-b', config: {} });
    await store.recordPrivacySpend({ jobId: 'job-a', round: 10, epsilon: 1, delta: 1e-6, accountant: { rounds: a } });
    await store.recordPrivacySpend({ jobId: 'job-b', round: 20, epsilon: 1, delta: 1e-6, accountant: { rounds: b } });
    await store.setPrivacyBudget({ epsilon: 20, delta: 1e-6 });
    await store.close();

    const json = await run(['privacy', 'ledger', '--db', db, '--json']);
    expect(json.code).to.equal(0);
    const summary = JSON.parse(json.stdout);
    const total = computeEpsilon([...a, ...b], 1e-6).epsilon;
    expect(summary.spent.epsilon).to.be.closeTo(total, 1e-9);
    expect(summary.remaining).to.be.closeTo(20 - total, 1e-9);
    expect(summary.jobs.map((j: { jobId: string }) => j.jobId)).to.deep.equal(['job-a', 'job-b']);
    const text = await run(['privacy', 'ledger', '--db', db]);
    expect(text.stdout).to.include('lifetime budget: ε = 20 at δ = 0.000001').and.include(`spent: ε = ${total.toFixed(4)}`).and.include('job job-b');
  });

  it('refuses a missing database and bad budgets with exit 2', async () => {
    const missing = await run(['privacy', 'ledger', '--db', join(dir, 'nope.db')]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('no such file');
    const bad = await run(['serve', '--privacy-budget', '-3,2']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('ε must be > 0').and.include('δ must be in (0, 1)');
    expect((await run(['demo', '--privacy-budget', '1,2,3'])).stderr).to.include('expected EPSILON or EPSILON,DELTA');
  });
});
