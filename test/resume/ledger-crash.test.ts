import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLedger } from '../../server/rounds/load-ledger.ts';
import { openStore } from '../../server/store/index.ts';

const demoArgs = (db: string): string[] => ['cli/main.ts', 'demo', '--port', '0', '--db', db, '--rounds', '5', '--stores', '3', '--shoppers', '300', '--items', '60', '--privacy-budget', '40', '--exit'];

/** Runs the demo in a child process; with `killRound`, the preload SIGKILLs it right after that round's ledger write. */
function runDemo(db: string, killRound?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const preload = killRound === undefined ? [] : ['--import', './test/resume/kill-after-ledger-write.ts'];
  const env = { ...process.env, FEDREC_TEST_KILL_AFTER_SPEND_ROUND: String(killRound ?? '') };
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload, ...demoArgs(db)], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

async function readState(db: string) {
  const store = openStore(db);
  try {
    const [job] = await store.listJobs();
    const spend = await store.getPrivacySpend(job.id);
    const rounds = await store.listRounds(job.id);
    const ledger = (await loadLedger(store)).summary();
    return { job, spend: spend!, rounds, ledger };
  } finally {
    await store.close();
  }
}

describe('coordinator SIGKILLed after the ledger write, before the release', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-ledger-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('over-reports afterwards: on restart neither the ledger nor the job reads lower', async () => {
    const db = join(dir, 'fedrec.db');
    const killed = await runDemo(db, 3);
    expect(killed.signal, killed.stderr).to.equal('SIGKILL');

    const atKill = await readState(db);
    // Round 3's cost is on disk, its model is not.
    expect(atKill.spend.round).to.equal(3);
    expect(atKill.job.completedRounds).to.equal(2);
    expect(atKill.rounds.map((r) => r.round)).to.deep.equal([1, 2]);
    expect(atKill.spend.epsilon).to.be.greaterThan(atKill.rounds[1].epsilon);
    expect(atKill.ledger.budget).to.deep.equal({ epsilon: 40, delta: 1e-6 });
    expect(atKill.ledger.spent.epsilon!).to.be.greaterThan(0);

    // The re-run of round 3 is charged a second time, so the job may now stop at its own ε = 8 (exit 1) instead of completing.
    const resumed = await runDemo(db);
    expect(resumed.code, resumed.stderr).to.be.oneOf([0, 1]);
    expect(resumed.stderr).to.match(new RegExp(`resuming job ${atKill.job.id} after round 2`));

    const after = await readState(db);
    expect(after.job.status).to.be.oneOf(['completed', 'budget-exhausted']);
    expect(after.rounds.map((r) => r.round)).to.deep.equal(after.rounds.map((_, i) => i + 1));
    expect(after.rounds.length).to.be.at.least(3);
    expect(after.spend.epsilon).to.be.at.least(atKill.spend.epsilon);
    expect(after.ledger.spent.epsilon!).to.be.at.least(atKill.ledger.spent.epsilon!);
    // The re-run round 3 is charged again: the persisted spend covers more releases than the rounds released.
    const trainingSigma = (after.job.config as { resolved: { accountedNoiseMultiplier: number } }).resolved.accountedNoiseMultiplier;
    const entries = (after.spend.accountant as { rounds: { sigma: number; steps: number }[] }).rounds;
    const chargedTraining = entries.filter((r) => r.sigma === trainingSigma).reduce((n, r) => n + r.steps, 0);
    expect(chargedTraining).to.equal(after.rounds.length + 1);
    for (const round of after.rounds) expect(round.epsilon).to.be.at.most(after.spend.epsilon);
  });
});
