/**
 * Every route of the route table × every role × no key, over real HTTP on a SQLite file: a role
 * the route allows gets neither 401 nor 403, any other role 403, no key 401. Derived from the
 * table, so a route added without the right roles, or served without the check, fails here.
 * Bodies are `{}` (invalid for most routes): access is decided before a body is read or validated.
 */
import { expect } from 'chai';
import { routes } from '../../server/api/index.ts';
import { roles } from '../../server/store/index.ts';
import { startGoverned, type Governed } from './governance-harness.ts';

describe('role matrix (every route × every role × no key)', function () {
  this.timeout(60_000);
  let governed: Governed;
  before(async () => {
    governed = await startGoverned();
  });
  after(() => governed.close());

  const params: Record<string, string> = { itemId: 'i00001', jobId: 'no-such-job', version: '1', keyId: 'key_000000000000' };
  const pathOf = (path: string) => path.replace(/:([A-Za-z]+)/g, (_, name: string) => params[name]);

  for (const r of routes) {
    it(`${r.method.toUpperCase()} ${r.path}`, async () => {
      const path = pathOf(r.path);
      const body = r.body ? '{}' : undefined;
      const anonymous = await governed.call(r.method.toUpperCase(), path, undefined, body);
      if (r.public) {
        expect(anonymous.status, 'public route without a key').to.be.oneOf([200, 503]);
        return;
      }
      expect(anonymous.status, 'no key').to.equal(401);
      expect(anonymous.body.error.code).to.equal('unauthenticated');
      for (const role of roles) {
        const { status, body: answer } = await governed.call(r.method.toUpperCase(), path, governed.keys[role], body);
        if (r.roles.includes(role)) expect(status, `${role} is allowed: ${JSON.stringify(answer)}`).to.not.be.oneOf([401, 403]);
        else {
          expect(status, `${role} is not allowed`).to.equal(403);
          expect(answer.error.code).to.equal('forbidden');
          expect(answer.error.message).to.include(`the key has the role ${role}`);
        }
      }
    });
  }

  it('refuses a wrong, malformed or non-Bearer key with 401 on every non-public route', async () => {
    for (const r of routes.filter((x) => !x.public)) {
      for (const authorization of ['Bearer fedrec_not-a-real-key-0123456789abcdef', `Basic ${governed.keys[r.roles![0]]}`, 'Bearer', `Bearer ${governed.keys[r.roles![0]]}x`]) {
        const response = await fetch(new URL(pathOf(r.path), governed.url), { method: r.method.toUpperCase(), headers: { authorization } });
        expect(response.status, `${r.method} ${r.path} with "${authorization.slice(0, 12)}…"`).to.equal(401);
        expect(response.headers.get('www-authenticate')).to.match(/^Bearer/);
      }
    }
  });
});
