import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { createApp, openApiPath, routes } from '../../server/api/index.ts';
import { ServedModel } from '../../server/serving/index.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { startServing, type Serving } from './serving-harness.ts';

describe('OpenAPI document', () => {
  let serving: Serving;
  let document: any;
  before(async () => {
    serving = await startServing();
    document = (await serving.call('GET', '/openapi.json')).body;
  });
  after(() => serving.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it('describes every route the app serves, and nothing else', () => {
    const registered = createApp({ store: new MemoryStore(), servedModel: new ServedModel() }).served;
    expect(registered.length).to.equal(routes.length);
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m} ${path}`));
    expect(registered.map((r) => { const [m, p] = r.split(' '); return `${m} ${openApiPath(p)}`; }).sort()).to.deep.equal(documented.sort());
  });

  it('lists the 429 with its RateLimit fields and Retry-After on every route, and the operations endpoints', () => {
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses['429'], `${method} ${path}`).to.exist;
        expect(Object.keys(operation.responses['429'].headers)).to.have.members(['RateLimit', 'RateLimit-Policy', 'Retry-After']);
        expect(Object.keys(operation.responses['200'].headers)).to.have.members(['RateLimit', 'RateLimit-Policy']);
      }
    }
    expect(document.paths['/healthz'].get.responses).to.have.keys('200', '429', '500');
    expect(document.paths['/readyz'].get.responses).to.have.keys('200', '429', '500', '503');
    const metrics = document.paths['/metrics'].get;
    expect(metrics.responses['200'].content).to.have.keys('text/plain');
    expect(metrics.security, '/metrics needs a key by default').to.deep.equal([{ apiKey: [] }]);
    expect(metrics['x-roles']).to.deep.equal(['engineer', 'admin']);
    expect(metrics.responses['401']).to.exist;
  });

  it('documents /metrics as open when the server is set so', async () => {
    const open = await startServing({ api: { metricsAccess: 'open' } });
    try {
      const metrics = (await open.call('GET', '/openapi.json')).body.paths['/metrics'].get;
      expect(metrics.security).to.deep.equal([]);
      expect(metrics['x-roles']).to.deep.equal([]);
      expect(metrics.responses['401']).to.equal(undefined);
      const response = await fetch(`${open.url}/metrics`);
      expect(response.status).to.equal(200);
      expect(await response.text()).to.match(/^# HELP /m);
    } finally {
      await open.close();
    }
  });

  it('documents the request schema the route validates with, and the error shape', () => {
    const post = document.paths['/v1/recommendations'].post;
    const body = post.requestBody.content['application/json'].schema;
    expect(body.required).to.include.members(['context', 'personalization']);
    expect(body.required).to.not.include('k');
    expect(body.properties.k).to.include({ default: 10, minimum: 1, maximum: 100 });
    expect(body.properties.explain.default).to.equal(true);
    expect(post.responses['400'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Error' });
    const query = document.paths['/v1/items/{itemId}/explanation'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(query).to.deep.equal(['path:itemId', 'query:store', 'query:segment', 'query:from', 'query:to']);
  });
});
