import { expect } from 'chai';
import { FedrecError } from '../errors/index.ts';
import { MemoryStore } from '../store/index.ts';
import { authorize } from './authorize.ts';
import { bootstrapAdminKey } from './bootstrap-admin-key.ts';

describe('bootstrapAdminKey', () => {
  const adminOnly = { roles: ['admin'] as const };

  it('creates one admin key on an empty store and prints it once; a second start creates none', async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    const id = await bootstrapAdminKey(store, {}, (line) => lines.push(line));
    const printed = /\n {2}(fedrec_\S+)$/.exec(lines.join('\n'))?.[1];
    expect(printed).to.be.a('string');
    expect(await authorize(adminOnly, `Bearer ${printed}`, { store })).to.deep.include({ keyId: id, role: 'admin' });
    expect(await bootstrapAdminKey(store, {}, (line) => lines.push(line))).to.equal(null);
    expect(lines).to.have.length(1);
    expect((await store.listAudit()).map((e) => [e.action, e.actor])).to.deep.equal([['key.created', 'system']]);
  });

  it('takes FEDREC_ADMIN_KEY without printing it, and refuses one shorter than 32 characters', async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    const key = 'an-admin-key-chosen-by-the-deployment';
    await bootstrapAdminKey(store, { FEDREC_ADMIN_KEY: key }, (line) => lines.push(line));
    expect(lines.join('\n')).to.not.include(key);
    expect((await authorize(adminOnly, `Bearer ${key}`, { store }))?.role).to.equal('admin');
    let thrown: unknown;
    await bootstrapAdminKey(new MemoryStore(), { FEDREC_ADMIN_KEY: 'short' }, () => {}).catch((e: unknown) => (thrown = e));
    expect(thrown).to.be.instanceOf(FedrecError);
  });

  it('tells a deployment that still sets FEDREC_OPERATOR_TOKEN what to do, and gives the token no access', async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    await bootstrapAdminKey(store, { FEDREC_OPERATOR_TOKEN: 'old-shared-secret-of-the-operators' }, (line) => lines.push(line));
    expect(lines[0]).to.match(/FEDREC_OPERATOR_TOKEN is set but no longer used: .*fedrec keys create/);
    let thrown: unknown;
    await authorize(adminOnly, 'Bearer old-shared-secret-of-the-operators', { store }).catch((e: unknown) => (thrown = e));
    expect((thrown as FedrecError).code).to.equal('unauthenticated');
  });
});
