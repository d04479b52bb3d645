/**
 * The operator routes over real HTTP: the catalogue upload and the training routes need the
 * server's operator token; everything a shopper's app or a merchant reads stays open.
 */
import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, routes } from '../../server/api/index.ts';
import { ServedModel } from '../../server/serving/index.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { operatorToken, startServing, strangerItem, type Serving } from './serving-harness.ts';

describe('operator routes', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
  });
  after(() => serving.close());

  const renamed = { ...strangerItem, name: 'Renamed by someone without the token' };

  it('refuse a catalogue upload without the token or with a wrong one (401, WWW-Authenticate), and change nothing', async () => {
    for (const authorization of ['', 'Bearer wrong-token', `Basic ${operatorToken}`, `Bearer ${operatorToken}x`, `Bearer`]) {
      const response = await fetch(`${serving.url}/v1/catalog`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ items: [renamed] }) });
      expect(response.status, authorization).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^Bearer/);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('unauthenticated');
    }
    expect((await serving.store.getCatalogItem(strangerItem.id))?.name).to.equal(strangerItem.name);
    // The scheme is case-insensitive (RFC 9110 §11.1).
    const allowed = await serving.call('PUT', '/v1/catalog', { items: [renamed] }, { authorization: `bearer ${operatorToken}` });
    expect(allowed.status).to.equal(200);
    expect((await serving.store.getCatalogItem(strangerItem.id))?.name).to.equal(renamed.name);
  });

  it('every operator route answers 401 without the token, before it reads or validates anything', async () => {
    const operator = routes.filter((r) => r.auth === 'operator');
    expect(operator.map((r) => r.operationId).sort()).to.deep.equal(['cancelJob', 'getJob', 'getModelWeights', 'listConnectedClients', 'getPrivacyLedger', 'listJobs', 'postJob', 'postModelVersion', 'putCatalog', 'putClientPopulation', 'putPrivacyBudget']);
    for (const r of operator) {
      const path = r.path.replace(/:[A-Za-z]+/g, 'x');
      // An invalid body: without the token the answer is 401, not 400.
      const { status } = await serving.call(r.method.toUpperCase(), path, r.body ? '{"not":"valid"}' : undefined, { authorization: '' });
      expect(status, `${r.method} ${r.path}`).to.equal(401);
    }
  });

  it('leave recommendations, the catalogue, the model, the merchant view and the documents open', async () => {
    const open = { authorization: '' };
    const item = serving.world.catalog[0].id;
    const recommend = await serving.call('POST', '/v1/recommendations', { history: [], context: { storeId: serving.world.stores[0].id }, personalization: false }, open);
    expect(recommend.status).to.equal(200);
    for (const path of [`/v1/catalog/${item}`, '/v1/model', `/v1/items/${item}/explanation`, '/openapi.json', '/healthz']) expect((await serving.call('GET', path, undefined, open)).status, path).to.equal(200);
  });

  it('are closed on a server started without an operator token, and say why', async () => {
    const app = createApp({ store: new MemoryStore(), servedModel: new ServedModel(), log: () => {} });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/jobs`, { headers: { authorization: 'Bearer anything' } });
      expect(response.status).to.equal(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).to.match(/no operator token configured/);
    } finally {
      server.close();
    }
  });
});
