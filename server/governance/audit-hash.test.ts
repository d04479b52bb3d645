import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { MemoryStore } from '../store/index.ts';
import { auditHash, canonicalJson, genesisHash } from './audit-hash.ts';
import { verifyAuditLog } from './audit-log.ts';

describe('audit hash', () => {
  it('writes canonical JSON: keys sorted by code unit at every depth, no whitespace (RFC 8785)', () => {
    expect(canonicalJson({ b: [3, { z: null, a: true }], a: 'x', é: 1, Z: 0.5 })).to.equal('{"Z":0.5,"a":"x","b":[3,{"a":true,"z":null}],"é":1}');
    expect(canonicalJson({ n: 1e21, m: -0, s: 'line\nbreak "quoted"' })).to.equal('{"m":0,"n":1e+21,"s":"line\\nbreak \\"quoted\\""}');
    expect(() => canonicalJson({ x: Number.NaN })).to.throw(/no JSON form/);
  });

  it('gives the same text for the same value whatever the key order, and JSON.parse gives the value back', () => {
    const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('-0'));
    fc.assert(fc.property(json, (value) => {
      const text = canonicalJson(value);
      expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(value)));
      const reversed = JSON.parse(JSON.stringify(value), (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
      expect(canonicalJson(reversed)).to.equal(text);
    }), { seed: 12, numRuns: 300 });
  });

  it('is SHA-256 of the previous hash followed by the canonical entry', () => {
    const entry = { seq: 1, time: '2026-12-01T00:00:00.000Z', actor: 'system', action: 'key.created', target: 'key_0a', details: { role: 'admin' } };
    const expected = createHash('sha256').update(genesisHash + '{"action":"key.created","actor":"system","details":{"role":"admin"},"seq":1,"target":"key_0a","time":"2026-12-01T00:00:00.000Z"}').digest('hex');
    expect(auditHash(genesisHash, entry)).to.equal(expected);
    expect(auditHash(genesisHash, { ...entry, details: { role: 'app' } })).to.not.equal(expected);
  });

  it('verifies an empty log, a whole chain, and an expected head that is or is not in it', async () => {
    const store = new MemoryStore();
    expect(await verifyAuditLog(store)).to.deep.equal({ ok: true, entries: 0, head: genesisHash, firstBadEntry: null });
    const first = await store.appendAudit({ actor: 'system', action: 'job.started', target: 'j', details: {} });
    const second = await store.appendAudit({ actor: 'system', action: 'job.completed', target: 'j', details: {} });
    expect(await verifyAuditLog(store, { expectHead: first.hash })).to.deep.include({ ok: true, entries: 2, head: second.hash, expectedHead: { hash: first.hash, found: true } });
    expect(await verifyAuditLog(store, { expectHead: 'f'.repeat(64) })).to.deep.include({ ok: false, firstBadEntry: null });
  });
});
