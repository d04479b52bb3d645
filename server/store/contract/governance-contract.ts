/**
 * Contract: governance records. Every change commits with its audit entry or not at all, the
 * chain links each entry to the one before, at most one version serves, and a key's hash (never
 * the key) is what is stored.
 */
import { expect } from 'chai';
import { auditHash, genesisHash } from '../../governance/audit-hash.ts';
import type { FedrecStore } from '../fedrec-store.ts';
import type { ModelStateChange } from '../governance-records.ts';
import { expectFedrecError, isoTimestamp, makeVersion, makeWeights, tokenHash } from './store-fixtures.ts';

const draft = (action: string, target = 't', details: Record<string, unknown> = {}) => ({ actor: 'system', action, target, details });
const key = (id: string, role: 'admin' | 'app' = 'app') => ({ id, name: `key ${id}`, role, keyHash: tokenHash(id), createdBy: 'system' });
const serve = (version: number, from: ModelStateChange['from']): ModelStateChange => ({
  version,
  from,
  to: { state: 'serving', approval: { by: 'key_0000000a', at: '2026-01-01T00:00:00.000Z', reason: 'ok', gates: [] }, kill: null, servingSince: '2026-01-01T00:00:00.000Z' },
});

export function describeGovernanceContract(store: () => FedrecStore): void {
  describe('governance', () => {
    it('creates, finds by hash, lists and revokes keys, each with its audit entry', async () => {
      const created = await store().createApiKey(key('key_0000000a', 'admin'), draft('key.created', 'key_0000000a', { role: 'admin' }));
      expect(created).to.include({ id: 'key_0000000a', role: 'admin', revokedAt: null, revokedBy: null });
      expect(created.createdAt).to.match(isoTimestamp);
      expect(await store().findApiKeyByHash(tokenHash('key_0000000a'))).to.deep.equal(created);
      expect(await store().findApiKeyByHash(tokenHash('other'))).to.equal(undefined);
      await expectFedrecError(store().createApiKey(key('key_0000000a'), draft('key.created')), 'conflict');
      await expectFedrecError(store().createApiKey({ ...key('key_0000000b'), keyHash: 'raw-key-not-a-hash' }, draft('key.created')), 'invalid-input');
      const revoked = await store().revokeApiKey('key_0000000a', 'key_0000000a', draft('key.revoked', 'key_0000000a'));
      expect(revoked.revokedBy).to.equal('key_0000000a');
      expect(revoked.revokedAt).to.match(isoTimestamp);
      await expectFedrecError(store().revokeApiKey('key_0000000a', 'x', draft('key.revoked')), 'conflict', /already revoked/);
      await expectFedrecError(store().revokeApiKey('key_0000000f', 'x', draft('key.revoked')), 'not-found');
      expect((await store().listApiKeys()).map((k) => k.id)).to.deep.equal(['key_0000000a']);
      expect((await store().listAudit()).map((e) => e.action)).to.deep.equal(['key.created', 'key.revoked']);
    });

    it('chains audit entries: seq from 1, each hash over the previous one and the entry', async () => {
      const a = await store().appendAudit(draft('job.started', 'job-1', { rounds: 3, nested: { z: 1, a: [1, 'x'] } }));
      const b = await store().appendAudit(draft('job.completed', 'job-1'));
      expect([a.seq, b.seq]).to.deep.equal([1, 2]);
      expect(a.hash).to.equal(auditHash(genesisHash, a));
      expect(b.hash).to.equal(auditHash(a.hash, b));
      expect(await store().listAudit()).to.deep.equal([a, b]);
      await expectFedrecError(store().appendAudit(draft('Not An Action')), 'invalid-input');
      // Details are hashed as canonical JSON: a value without a JSON form is invalid input in every store, not a TypeError.
      for (const bad of [NaN, Infinity, { deep: [1, -Infinity] }]) await expectFedrecError(store().appendAudit(draft('job.failed', 'job-1', { figure: bad })), 'invalid-input');
      expect(await store().listAudit()).to.have.length(2);
    });

    it('filters and pages the audit log', async () => {
      for (let i = 0; i < 5; i++) await store().appendAudit({ ...draft(i % 2 ? 'model.killed' : 'model.approved', `v${i}`), actor: i < 3 ? 'key_a' : 'key_b' });
      expect((await store().listAudit({ action: 'model.killed' })).map((e) => e.seq)).to.deep.equal([2, 4]);
      expect((await store().listAudit({ actor: 'key_b' })).map((e) => e.seq)).to.deep.equal([4, 5]);
      expect((await store().listAudit({ target: 'v0' })).map((e) => e.seq)).to.deep.equal([1]);
      expect((await store().listAudit({ afterSeq: 1, limit: 2 })).map((e) => e.seq)).to.deep.equal([2, 3]);
      const all = await store().listAudit();
      expect((await store().listAudit({ from: all[2].time, to: all[2].time })).map((e) => e.seq)).to.include(3);
      expect(await store().listAudit({ from: '2999-01-01T00:00:00.000Z' })).to.deep.equal([]);
    });

    it('changes model states only from the stated state, all or nothing with the audit entry, one serving at most', async () => {
      for (const v of [1, 2]) await store().saveModelVersion(makeVersion(v, { round: 1 }), makeWeights(v));
      await store().changeModelStates([serve(1, null)], draft('model.approved', '1'));
      await expectFedrecError(store().changeModelStates([serve(1, null)], draft('model.approved', '1')), 'conflict');
      // Version 2 may not serve beside 1.
      await expectFedrecError(store().changeModelStates([serve(2, null)], draft('model.approved', '2')), 'conflict');
      const retire1: ModelStateChange = { version: 1, from: 'serving', to: { state: 'retired', approval: null, kill: null, servingSince: null } };
      // A wrong `from` anywhere rolls back the whole change.
      await expectFedrecError(store().changeModelStates([retire1, serve(2, 'candidate')], draft('model.approved', '2')), 'conflict');
      expect((await store().listModelStates()).map((s) => [s.version, s.state])).to.deep.equal([[1, 'serving']]);
      await store().changeModelStates([serve(2, null), retire1], draft('model.approved', '2'));
      const states = await store().listModelStates();
      expect(states.map((s) => [s.version, s.state])).to.deep.equal([[1, 'retired'], [2, 'serving']]);
      expect(states[1].approval).to.deep.equal(serve(2, null).to.approval);
      expect(states[1].updatedAt).to.match(isoTimestamp);
      await expectFedrecError(store().changeModelStates([serve(9, null)], draft('model.approved', '9')), 'not-found');
      expect((await store().listAudit()).map((e) => e.target)).to.deep.equal(['1', '2']);
    });

    it('keeps settings as JSON, each change audited', async () => {
      expect(await store().getSetting('promotion-gates')).to.equal(undefined);
      await store().putSetting('promotion-gates', { recallAt10Floor: 0.2, epsilonCeiling: null }, draft('gates.changed'));
      expect(await store().getSetting('promotion-gates')).to.deep.equal({ recallAt10Floor: 0.2, epsilonCeiling: null });
      await expectFedrecError(store().putSetting('Bad Name', 1, draft('gates.changed')), 'invalid-input');
      expect(await store().listAudit()).to.have.length(1);
    });
  });
}
