import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../server/store/index.ts';

const demoArgs = (db: string): string[] => ['--import', 'tsx', 'cli/main.ts', 'demo', '--port', '0', '--db', db, '--rounds', '6', '--stores', '3', '--shoppers', '300', '--items', '60', '--exit'];

function runDemo(db: string): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, demoArgs(db), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  return { child, stderr: () => stderr, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe('coordinator killed with SIGKILL mid-job', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-resume-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes the job from its last completed round on restart, never losing spent privacy', async () => {
    const db = join(dir, 'fedrec.db');
    const first = runDemo(db);
    const end = Date.now() + 120_000;
    while (!/round 3:/.test(first.stderr()) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(first.stderr()).to.match(/round 3:/);
    first.child.kill('SIGKILL');
    await first.exit;

    const store = openStore(db);
    const [job] = await store.listJobs();
    const completedAtKill = job.completedRounds;
    const spendAtKill = await store.getPrivacySpend(job.id);
    await store.close();
    expect(job.status).to.equal('running');
    expect(completedAtKill).to.be.at.least(3);
    expect(spendAtKill!.round).to.be.at.least(completedAtKill);

    const second = runDemo(db);
    expect(await second.exit).to.equal(0);
    expect(second.stderr()).to.match(new RegExp(`resuming job ${job.id} after round ${completedAtKill}`));

    const reopened = openStore(db);
    const jobs = await reopened.listJobs();
    const rounds = await reopened.listRounds(job.id);
    const spendAfter = await reopened.getPrivacySpend(job.id);
    const latest = await reopened.latestModelVersion(job.id);
    const serving = (await reopened.listModelStates()).filter((s) => s.state === 'serving');
    const approver = (await reopened.listApiKeys()).find((k) => k.id === serving[0]?.approval?.by);
    await reopened.close();
    // The demo approves the model it trained with its own approver key, so it ends up serving.
    if (jobs[0].status === 'completed') {
      expect(serving.map((s) => s.version)).to.deep.equal([latest!.version]);
      expect(serving[0].approval!.reason).to.equal('demo');
      expect(approver).to.include({ role: 'approver', name: 'demo approver' });
      expect(second.stderr()).to.match(new RegExp(`model version ${latest!.version} approved by the demo's approver key`));
    }
    expect(jobs).to.have.length(1);
    expect(jobs[0].status).to.be.oneOf(['completed', 'budget-exhausted']);
    expect(rounds.map((r) => r.round)).to.deep.equal(rounds.map((_, i) => i + 1));
    expect(rounds.length).to.be.greaterThan(completedAtKill);
    expect(spendAfter!.epsilon).to.be.at.least(spendAtKill!.epsilon);
  });
});
