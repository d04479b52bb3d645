import { expect } from 'chai';
import { generateWorld } from '../../client-sim/world/index.ts';
import { createApiKey, systemActor } from '../governance/index.ts';
import { startFedrecServer, type FedrecServer } from '../host/start-fedrec-server.ts';
import { MemoryStore, roles, type Role } from '../store/index.ts';
import { routes } from './route-table.ts';
import { dashboardContentSecurityPolicy } from './dashboard-page.ts';

describe('routes the dashboard reads: whoami, catalogue search, the page itself', function () {
  this.timeout(30_000);
  let server: FedrecServer;
  const keys = {} as Record<Role, string>;
  const world = generateWorld({ seed: 2, stores: 2, shoppers: 20, items: 30 });
  before(async () => {
    const store = new MemoryStore();
    await store.putCatalog(world.catalog);
    server = await startFedrecServer({ store, port: 0, log: () => {}, env: {} });
    for (const role of roles) keys[role] = (await createApiKey(store, { role, name: `dash ${role}` }, systemActor)).key;
  });
  after(() => server.close());
  const get = async (path: string, role?: Role) => {
    const response = await fetch(new URL(path, server.url), { headers: role ? { authorization: `Bearer ${keys[role]}` } : {} });
    return { status: response.status, headers: response.headers, body: (await response.text()) as string };
  };

  it('GET /v1/whoami names every role’s key and exactly the operations the route table lets it call', async () => {
    for (const role of roles) {
      const { status, body } = await get('/v1/whoami', role);
      expect(status, role).to.equal(200);
      const whoami = JSON.parse(body);
      expect(whoami).to.include({ role, name: `dash ${role}` });
      const allowed = routes.filter((r) => !r.public && r.roles.includes(role)).map((r) => r.operationId);
      expect(whoami.operations, role).to.have.members(allowed);
    }
    expect(JSON.parse((await get('/v1/whoami', 'merchant')).body).operations).to.not.include('approveModel');
    expect((await get('/v1/whoami')).status).to.equal(401);
  });

  it('GET /v1/catalog finds items by a substring, caps the answer, and refuses bad limits with every issue', async () => {
    const category = world.catalog[3].category;
    const found = JSON.parse((await get(`/v1/catalog?q=${encodeURIComponent(category.toUpperCase())}&limit=2`, 'merchant')).body);
    const expected = world.catalog.filter((i) => [i.id, i.name, i.category, i.brand].some((t) => t.toLowerCase().includes(category.toLowerCase())));
    expect(found.total).to.equal(expected.length);
    expect(found.items.map((i: { id: string }) => i.id)).to.deep.equal(expected.slice(0, 2).map((i) => i.id));
    expect(found.stores, 'no version serves yet').to.deep.equal([]);
    expect(JSON.parse((await get('/v1/catalog', 'app')).body).items).to.have.length(20);
    const bad = await get('/v1/catalog?limit=0&extra=1', 'engineer');
    expect(bad.status).to.equal(400);
    expect(JSON.parse(bad.body).error.issues.map((i: { path: string[] }) => i.path.join('.'))).to.have.members(['query.limit', 'query']);
    expect((await get('/v1/catalog', 'approver')).status).to.equal(403);
  });

  it('serves the page, its script and style with the page’s CSP and no inline code, and the API keeps its own headers', async () => {
    const page = await get('/');
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.equal(dashboardContentSecurityPolicy);
    expect(page.body).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script').and.not.match(/\sstyle=/).and.not.match(/https?:\/\//, 'nothing from another origin');
    const script = await get('/dashboard.js');
    expect(script.headers.get('content-type')).to.match(/^text\/javascript/);
    expect(script.body.length).to.be.greaterThan(10_000);
    expect(script.body).to.not.match(/\bfonts\.googleapis|cdn\.jsdelivr|unpkg\.com/);
    expect((await get('/dashboard.css')).headers.get('content-type')).to.match(/^text\/css/);
    const api = await get('/v1/whoami', 'app');
    expect(api.headers.get('content-security-policy')).to.not.equal(dashboardContentSecurityPolicy);
    expect((await get('/dashboard.map')).status).to.equal(404);
  });
});
