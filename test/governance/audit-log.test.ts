/**
 * The audit log over real HTTP on a SQLite file: governance actions are logged with the acting
 * key's id (never the key), the listing pages and filters, tampering with one row's details in the
 * file makes verify name that entry, and removing the last row is caught by
 * `fedrec audit verify --expect-head` (a child process, as an auditor would run it).
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { runCli } from '../helpers/run-cli.ts';
import { startGoverned, type Governed } from './governance-harness.ts';

describe('audit log (real HTTP, SQLite file)', function () {
  this.timeout(60_000);
  let governed: Governed;
  beforeEach(async () => {
    governed = await startGoverned();
    await governed.call('POST', '/v1/models/1/approve', governed.keys.approver, { reason: 'first release' });
    await governed.call('POST', '/v1/models/1/kill', governed.keys.approver, { reason: 'complaints' });
  });
  afterEach(() => governed.close());

  const verify = async (query = '') => (await governed.call('GET', `/v1/audit/verify${query}`, governed.keys.admin)).body;

  it('logs key creation, approvals and kills with the key id as actor, and never a key', async () => {
    const { entries } = (await governed.call('GET', '/v1/audit?limit=1000', governed.keys.approver)).body;
    expect(entries.map((e: { action: string }) => e.action)).to.deep.equal([...Array(6).fill('key.created'), 'model.approved', 'model.killed']);
    const approverId = (await governed.store.listApiKeys()).find((k) => k.role === 'approver')!.id;
    expect(entries[6]).to.deep.include({ actor: approverId, target: '1' });
    expect(entries[6].details.reason).to.equal('first release');
    expect(entries[7].details).to.deep.equal({ reason: 'complaints', servingNow: null });
    const text = JSON.stringify(entries);
    for (const key of Object.values(governed.keys)) expect(text).to.not.include(key);
    expect(await verify()).to.deep.equal({ ok: true, entries: 8, head: entries[7].hash, firstBadEntry: null });
  });

  it('pages and filters by action, actor and time', async () => {
    const first = (await governed.call('GET', '/v1/audit?limit=3', governed.keys.admin)).body;
    expect(first.entries.map((e: { seq: number }) => e.seq)).to.deep.equal([1, 2, 3]);
    expect(first.next).to.equal(3);
    const last = (await governed.call('GET', '/v1/audit?limit=5&after=3', governed.keys.admin)).body;
    expect(last.entries.map((e: { seq: number }) => e.seq)).to.deep.equal([4, 5, 6, 7, 8]);
    expect(last.next).to.equal(null);
    const approverId = (await governed.store.listApiKeys()).find((k) => k.role === 'approver')!.id;
    const byActor = (await governed.call('GET', `/v1/audit?actor=${approverId}`, governed.keys.admin)).body.entries;
    expect(byActor.map((e: { action: string }) => e.action)).to.deep.equal(['model.approved', 'model.killed']);
    const later = (await governed.call('GET', `/v1/audit?action=model.killed&from=${encodeURIComponent(byActor[1].time)}`, governed.keys.admin)).body.entries;
    expect(later).to.have.length(1);
    expect((await governed.call('GET', '/v1/audit?limit=0', governed.keys.admin)).status).to.equal(400);
  });

  it('names the tampered entry when one row\'s details are changed in the SQLite file', async () => {
    const raw = new Database(governed.file);
    try {
      raw.prepare("UPDATE audit_log SET details = json_object('reason', 'nothing to see', 'gates', json('[]'), 'retired', NULL) WHERE seq = 7").run();
    } finally {
      raw.close();
    }
    const result = await verify();
    expect(result).to.include({ ok: false, entries: 8, firstBadEntry: 7 });
    const cli = await runCli(['audit', 'verify', '--url', governed.url], { FEDREC_API_KEY: governed.keys.admin });
    expect(cli.code).to.equal(1);
    expect(cli.stdout).to.include('entry 7 does not follow');
  });

  it('catches a removed last row with fedrec audit verify --expect-head, which a bare verify cannot', async () => {
    const env = { FEDREC_API_KEY: governed.keys.approver };
    const head = await runCli(['audit', 'head', '--url', governed.url], env);
    expect(head.code, head.stderr).to.equal(0);
    const kept = head.stdout.trim();
    expect(kept).to.match(/^[0-9a-f]{64}$/);
    const intact = await runCli(['audit', 'verify', '--expect-head', kept, '--url', governed.url], env);
    expect(intact.code, intact.stdout + intact.stderr).to.equal(0);
    // Later entries are fine: the kept head is still in the chain.
    await governed.call('POST', '/v1/models/2/approve', governed.keys.approver, { reason: 'next' });
    expect((await runCli(['audit', 'verify', '--expect-head', kept, '--url', governed.url], env)).code).to.equal(0);

    const raw = new Database(governed.file);
    try {
      raw.prepare('DELETE FROM audit_log WHERE seq >= 8').run();
    } finally {
      raw.close();
    }
    expect(await verify(), 'the shortened chain is valid in itself').to.include({ ok: true, entries: 7, firstBadEntry: null });
    const truncated = await runCli(['audit', 'verify', '--expect-head', kept, '--url', governed.url], env);
    expect(truncated.code).to.equal(1);
    expect(truncated.stdout).to.include('TRUNCATED');
    expect(await verify(`?expectHead=${kept}`)).to.deep.include({ ok: false, firstBadEntry: null, expectedHead: { hash: kept, found: false } });
  });

  it('is append-only in code: no statement of either store updates or deletes an audit row', async () => {
    for (const file of ['sqlite-governance.ts', 'sqlite-statements.ts', 'sqlite-store.ts', 'sqlite-schema.ts']) {
      const source = await readFile(new URL(`../../server/store/${file}`, import.meta.url), 'utf8');
      expect(source, file).to.not.match(/(UPDATE|DELETE\s+FROM|REPLACE\s+INTO|DROP\s+TABLE)\s+audit_log/i);
      expect(source, file).to.not.match(/INSERT\s+OR\s+REPLACE\s+INTO\s+audit_log|ON\s+CONFLICT[^;]*audit_log/i);
    }
    const memory = await readFile(new URL('../../server/store/memory-governance.ts', import.meta.url), 'utf8');
    expect(memory).to.not.match(/this\.audit\.(splice|pop|shift|length\s*=|fill|sort|reverse)|this\.audit\[[^\]]+\]\s*=/);
  });
});

describe('API keys (real HTTP, SQLite file)', function () {
  this.timeout(60_000);
  let governed: Governed;
  beforeEach(async () => {
    governed = await startGoverned();
  });
  afterEach(() => governed.close());

  it('a key revoked mid-session fails on its very next request', async () => {
    const created = await governed.call('POST', '/v1/keys', governed.keys.admin, { role: 'engineer', name: 'contractor' });
    expect(created.status).to.equal(200);
    const { key, record } = created.body;
    expect(key).to.match(/^fedrec_/);
    const stored = await governed.store.getApiKey(record.id);
    expect(stored!.keyHash, 'only the hash is stored').to.match(/^[0-9a-f]{64}$/);
    expect(stored!.keyHash).to.not.include(key);
    expect((await governed.call('GET', '/v1/jobs', key)).status).to.equal(200);
    expect((await governed.call('GET', '/v1/models', key)).status).to.equal(200);
    const revoked = await governed.call('POST', `/v1/keys/${record.id}/revoke`, governed.keys.admin);
    expect(revoked.body.revokedBy).to.equal((await governed.store.listApiKeys()).find((k) => k.name === 'test admin')!.id);
    const next = await governed.call('GET', '/v1/jobs', key);
    expect(next.status).to.equal(401);
    expect(next.body.error.message).to.equal('this API key was revoked');
    expect((await governed.call('POST', `/v1/keys/${record.id}/revoke`, governed.keys.admin)).status, 'twice is a conflict').to.equal(409);
    const listed = (await governed.call('GET', '/v1/keys', governed.keys.admin)).body.keys;
    expect(listed.find((k: { id: string }) => k.id === record.id).revokedAt).to.be.a('string');
    expect(JSON.stringify(listed)).to.not.include('keyHash');
    const actions = (await governed.store.listAudit({ target: record.id })).map((e) => e.action);
    expect(actions).to.deep.equal(['key.created', 'key.revoked']);
  });

  it('fedrec keys create --db prints the key once and stores its hash; list and revoke work the same way', async () => {
    const created = await runCli(['keys', 'create', '--role', 'merchant', '--name', 'Ana (merchandising)', '--db', governed.file, '--json']);
    expect(created.code, created.stderr).to.equal(0);
    const { key, record } = JSON.parse(created.stdout);
    expect((await governed.call('GET', `/v1/items/${governed.world.catalog[0].id}/explanation`, key)).status).to.equal(200);
    const listed = await runCli(['keys', 'list', '--db', governed.file]);
    expect(listed.stdout).to.include(record.id);
    expect(listed.stdout).to.not.include(key);
    expect((await runCli(['keys', 'revoke', record.id, '--db', governed.file])).code).to.equal(0);
    expect((await governed.call('GET', `/v1/items/${governed.world.catalog[0].id}/explanation`, key)).status).to.equal(401);
    const bad = await runCli(['keys', 'create', '--role', 'owner', '--db', governed.file]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--role: one of admin, approver, engineer, merchant, app');
  });
});
