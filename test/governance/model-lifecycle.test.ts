/**
 * The lifecycle over real HTTP on a SQLite file: nothing serves until an approval, approval needs
 * the approver role and passes the gates (409 naming each failing one), approve and kill each
 * change the very next recommendation, concurrent requests never fail across the switches, and a
 * restart keeps the serving version and every state.
 */
import { expect } from 'chai';
import { runCli } from '../helpers/run-cli.ts';
import { startGoverned, type Governed } from './governance-harness.ts';

describe('model lifecycle (real HTTP, SQLite file)', function () {
  this.timeout(60_000);
  let governed: Governed;
  beforeEach(async () => {
    governed = await startGoverned();
  });
  afterEach(() => governed.close());

  const approve = (version: number, key: string | undefined, reason = 'fit to serve') => governed.call('POST', `/v1/models/${version}/approve`, key, { reason });
  const kill = (version: number, key: string | undefined, reason = 'bad outputs') => governed.call('POST', `/v1/models/${version}/kill`, key, { reason });
  const states = async () => Object.fromEntries((await governed.call('GET', '/v1/models', governed.keys.approver)).body.models.map((m: { version: number; state: string }) => [m.version, m.state]));

  it('serves nothing until approved: released versions are candidates', async () => {
    expect(await states()).to.deep.equal({ 1: 'candidate', 2: 'candidate', 3: 'candidate' });
    const answer = await governed.recommend();
    expect(answer.status).to.equal(503);
  });

  it('refuses approval without the approver role (403) or a reason (400), and changes nothing', async () => {
    for (const role of ['admin', 'engineer', 'merchant', 'app'] as const) {
      const { status, body } = await approve(1, governed.keys[role]);
      expect(status, role).to.equal(403);
      expect(body.error.code).to.equal('forbidden');
    }
    expect((await approve(1, undefined)).status).to.equal(401);
    const noReason = await governed.call('POST', '/v1/models/1/approve', governed.keys.approver, { reason: '  ' });
    expect(noReason.status).to.equal(400);
    expect(await states()).to.deep.equal({ 1: 'candidate', 2: 'candidate', 3: 'candidate' });
    expect((await governed.recommend()).status).to.equal(503);
  });

  it('refuses a version failing a gate with 409 naming each failing gate with its value and threshold, and records the refusal', async () => {
    const set = await governed.call('PUT', '/v1/governance/settings', governed.keys.admin, { recallAt10Floor: 0.35, epsilonCeiling: 2.5 });
    expect(set.body).to.deep.equal({ recallAt10Floor: 0.35, epsilonCeiling: 2.5, fairnessGapCeiling: null, separationOfDuties: false });
    const low = await approve(1, governed.keys.approver);
    expect(low.status).to.equal(409);
    expect(low.body.error.issues).to.have.length(1);
    expect(low.body.error.issues[0]).to.deep.include({ path: ['gates', 'recall@10'], code: 'gate-failed' });
    expect(low.body.error.issues[0].params).to.deep.equal({ gate: 'recall@10', value: 0.2, threshold: 0.35 });
    const tooMuchPrivacySpent = await approve(3, governed.keys.approver);
    expect(tooMuchPrivacySpent.status).to.equal(409);
    expect(tooMuchPrivacySpent.body.error.issues.map((i: { path: string[] }) => i.path[1])).to.deep.equal(['epsilon']);
    expect(tooMuchPrivacySpent.body.error.issues[0].params).to.deep.equal({ gate: 'epsilon', value: 3, threshold: 2.5 });
    expect(await states()).to.deep.include({ 1: 'candidate', 3: 'candidate' });
    // Lower the floor and version 2 (recall@10 ≈ 0.3, ε 2) passes; the gate values are kept with the approval.
    await governed.call('PUT', '/v1/governance/settings', governed.keys.admin, { recallAt10Floor: 0.25, epsilonCeiling: 2.5 });
    const passed = await approve(2, governed.keys.approver, 'gates pass');
    expect(passed.status, JSON.stringify(passed.body)).to.equal(200);
    const gates = passed.body.approval.gates as { gate: string; value: number; threshold: number; passed: boolean }[];
    expect(gates.map((g) => [g.gate, g.threshold, g.passed])).to.deep.equal([['recall@10', 0.25, true], ['epsilon', 2.5, true]]);
    expect(gates[0].value).to.be.closeTo(0.3, 1e-12);
    expect(gates[1].value).to.equal(2);
    const audit = (await governed.call('GET', '/v1/audit?action=model.approval-refused', governed.keys.admin)).body.entries;
    expect(audit.map((e: { target: string }) => e.target)).to.deep.equal(['1', '3']);
  });

  it('approve then kill: each changes what the very next recommendation gets, down to the store ranking', async () => {
    expect((await approve(1, governed.keys.approver)).status).to.equal(200);
    expect((await governed.recommend()).body).to.include({ modelVersion: 1, servedBy: 'model' });
    const second = await approve(2, governed.keys.approver);
    expect(second.body).to.include({ version: 2, retired: 1 });
    expect((await governed.recommend()).body.modelVersion).to.equal(2);
    expect(await states()).to.deep.equal({ 1: 'retired', 2: 'serving', 3: 'candidate' });

    const killed = await kill(2, governed.keys.approver);
    expect(killed.body).to.deep.equal({ version: 2, state: 'killed', serving: 1 });
    expect((await governed.recommend()).body.modelVersion, 'the previous approved version serves the next request').to.equal(1);

    expect((await kill(1, governed.keys.approver)).body.serving).to.equal(null);
    const fallback = await governed.recommend();
    expect(fallback.status).to.equal(200);
    expect(fallback.body).to.include({ modelVersion: null, servedBy: 'store-ranking', personalized: false });
    expect(fallback.body.items).to.have.length(5);
    for (const item of fallback.body.items) {
      expect(item.reason).to.match(/^Not personalised: the recommendation model was switched off/);
      expect(item.score).to.equal(item.baseline);
      expect(item.attributions).to.deep.equal([]);
    }
    expect(await states()).to.deep.equal({ 1: 'killed', 2: 'killed', 3: 'candidate' });
    expect((await approve(2, governed.keys.approver)).status, 'a killed version never serves again').to.equal(409);
    // A later approval serves again.
    expect((await approve(3, governed.keys.approver)).status).to.equal(200);
    expect((await governed.recommend()).body.modelVersion).to.equal(3);
  });

  it('under concurrent recommendation load during approvals and kills, no request fails and every response names its version', async () => {
    let running = true;
    const seen: { status: number; modelVersion: unknown; servedBy: unknown }[] = [];
    const worker = async (offset: number) => {
      for (let n = offset; running; n += 4) {
        const { status, body } = await governed.recommend(n);
        seen.push({ status, modelVersion: body?.modelVersion, servedBy: body?.servedBy });
      }
    };
    expect((await approve(1, governed.keys.approver)).status).to.equal(200);
    const workers = [0, 1, 2, 3].map(worker);
    const pause = () => new Promise((r) => setTimeout(r, 40));
    for (const step of [() => approve(2, governed.keys.approver), () => approve(3, governed.keys.approver), () => kill(3, governed.keys.approver), () => kill(2, governed.keys.approver), () => kill(1, governed.keys.approver), () => approve(3, governed.keys.approver)]) {
      await pause();
      const { status } = await step();
      expect([200, 409]).to.include(status);
    }
    await pause();
    running = false;
    await Promise.all(workers);
    expect(seen.length).to.be.greaterThan(20);
    expect(seen.filter((s) => s.status !== 200), 'no request failed').to.deep.equal([]);
    for (const s of seen) {
      if (s.servedBy === 'model') expect(s.modelVersion).to.be.oneOf([1, 2, 3]);
      else expect(s).to.deep.include({ servedBy: 'store-ranking', modelVersion: null });
    }
    expect(new Set(seen.map((s) => s.modelVersion)).size, 'the load saw the switches').to.be.greaterThan(1);
  });

  it('a restart keeps the serving version and every lifecycle state', async () => {
    await approve(1, governed.keys.approver);
    await approve(2, governed.keys.approver);
    await kill(2, governed.keys.approver);
    await approve(3, governed.keys.approver);
    const before = (await governed.call('GET', '/v1/models', governed.keys.engineer)).body.models;
    await governed.restart();
    expect((await governed.recommend()).body.modelVersion).to.equal(3);
    expect((await governed.call('GET', '/v1/models', governed.keys.engineer)).body.models).to.deep.equal(before);
    expect(await states()).to.deep.equal({ 1: 'retired', 2: 'killed', 3: 'serving' });
    // The kill switch still works after the restart, back to the most recent retired version.
    expect((await kill(3, governed.keys.approver)).body.serving).to.equal(1);
    await governed.restart();
    expect((await governed.recommend()).body.modelVersion).to.equal(1);
  });

  it('a restart after a kill that left nothing keeps serving the store ranking', async () => {
    await approve(1, governed.keys.approver);
    await kill(1, governed.keys.approver);
    await governed.restart();
    expect((await governed.recommend()).body).to.include({ servedBy: 'store-ranking', modelVersion: null });
  });

  it('with separation of duties on, a key held by whoever started the job may not approve its versions', async () => {
    const admin = governed.keys.admin;
    const engineer = (await governed.call('POST', '/v1/keys', admin, { role: 'engineer', name: 'Sam Lee' })).body;
    const approverSam = (await governed.call('POST', '/v1/keys', admin, { role: 'approver', name: 'sam lee ' })).body;
    await governed.store.appendAudit({ actor: engineer.record.id, action: 'job.started', target: governed.jobId, details: {} });
    expect((await approve(1, approverSam.key)).status, 'off by default').to.equal(200);
    await governed.call('PUT', '/v1/governance/settings', admin, { separationOfDuties: true });
    const refused = await approve(2, approverSam.key);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.message).to.include('separation of duties').and.include(engineer.record.id);
    expect((await approve(2, governed.keys.approver)).status, 'another holder may').to.equal(200);
  });
});

describe('fedrec models (child processes over real HTTP)', function () {
  this.timeout(60_000);
  let governed: Governed;
  before(async () => {
    governed = await startGoverned();
  });
  after(() => governed.close());

  it('lists, approves and kills with the key in FEDREC_API_KEY, and exits 1 with the server\'s reason when refused', async () => {
    const approver = { FEDREC_API_KEY: governed.keys.approver };
    const approved = await runCli(['models', 'approve', '2', '--reason', 'reviewed by the committee', '--url', governed.url], approver);
    expect(approved.code, approved.stderr).to.equal(0);
    expect(approved.stdout).to.include('version 2 serves now');
    const listed = await runCli(['models', 'list', '--url', governed.url], { FEDREC_API_KEY: governed.keys.engineer });
    expect(listed.stdout).to.match(/v2 +serving .*approved by key_[0-9a-f]+: "reviewed by the committee"/);
    const refused = await runCli(['models', 'kill', '2', '--reason', 'x', '--url', governed.url], { FEDREC_API_KEY: governed.keys.engineer });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include('403').and.include('needs the role approver');
    const killed = await runCli(['models', 'kill', '2', '--reason', 'complaints spiked', '--url', governed.url], approver);
    expect(killed.stdout).to.include('no approved version is left: the store ranking serves');
    const noReason = await runCli(['models', 'approve', '1', '--url', governed.url], approver);
    expect(noReason.code).to.equal(2);
    expect(noReason.stderr).to.include('--reason');
  });
});
