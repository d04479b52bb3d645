import { expect } from 'chai';
import { MemoryStore } from '../../server/store/index.ts';
import { startServing, type Serving } from './serving-harness.ts';

describe('API errors', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
  });
  after(() => serving.close());

  const valid = () => ({ history: [], context: { storeId: serving.world.stores[0].id }, personalization: true });

  it('bad input: 400 with every zod issue, each with its path', async () => {
    const { status, body } = await serving.call('POST', '/v1/recommendations', {
      history: [{ itemId: '' }, { item: 'i00001' }],
      context: {},
      k: 101,
      personalisation: true,
    });
    expect(status).to.equal(400);
    expect(body.error.code).to.equal('invalid-input');
    const paths = body.error.issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
    expect(paths).to.include.members(['body.history.0.itemId', 'body.history.1.itemId', 'body.context.storeId', 'body.personalization', 'body.k', 'body']);
    for (const issue of body.error.issues) expect(issue).to.have.keys('path', 'message', 'code');
  });

  it('bad query and path parameters are reported the same way', async () => {
    const { status, body } = await serving.call('GET', '/v1/items/i00001/explanation?from=2024-13-01&to=yesterday&segment=vip&colour=red');
    expect(status).to.equal(400);
    const paths = body.error.issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
    expect(paths).to.include.members(['query.from', 'query.to', 'query.segment', 'query']);
  });

  it('malformed JSON: 400 in the error shape', async () => {
    const { status, body } = await serving.call('POST', '/v1/recommendations', '{"history": [', { 'content-type': 'application/json' });
    expect(status).to.equal(400);
    expect(body.error).to.deep.include({ code: 'invalid-input', message: 'request body is not valid JSON' });
  });

  it('a body that is not JSON at all is a validation error, not a crash', async () => {
    const { status, body } = await serving.call('POST', '/v1/recommendations', 'k=3', { 'content-type': 'text/plain' });
    expect(status).to.equal(400);
    expect(body.error.issues[0].path).to.deep.equal(['body']);
  });

  it('a body over the limit: 413', async () => {
    const history = Array.from({ length: 20_000 }, (_, i) => ({ itemId: `i${i}` }));
    const { status, body } = await serving.call('POST', '/v1/recommendations', { ...valid(), history });
    expect(status).to.equal(413);
    expect(body.error.code).to.equal('payload-too-large');
  });

  it('unknown routes: 404 JSON', async () => {
    for (const [method, path] of [['GET', '/v2/everything'], ['DELETE', '/v1/catalog'], ['POST', '/healthz']]) {
      const { status, body } = await serving.call(method, path);
      expect(status, `${method} ${path}`).to.equal(404);
      expect(body.error.code).to.equal('not-found');
    }
  });

  it('anything unexpected: 500 that reveals no internals', async () => {
    const store = new MemoryStore();
    const broken = await startServing({ store });
    store.getCatalogItem = async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/fedrec/secret.db');
    };
    try {
      const { status, body, text } = await broken.call('GET', '/v1/catalog/i00001');
      expect(status).to.equal(500);
      expect(body).to.deep.equal({ error: { code: 'internal', message: 'internal error' } });
      expect(text).to.not.match(/SQLITE|secret|at /);
    } finally {
      await broken.close();
    }
  });

  it('before any model is released: 503 for recommendations, health still answers', async () => {
    const empty = await startServing({ release: false });
    try {
      const { status, body } = await empty.call('POST', '/v1/recommendations', { ...valid(), context: { storeId: 'store-01' } });
      expect(status).to.equal(503);
      expect(body.error.code).to.equal('unavailable');
      expect((await empty.call('GET', '/v1/model')).status).to.equal(503);
      expect((await empty.call('GET', '/healthz')).body).to.deep.equal({ status: 'ok', modelVersion: null });
    } finally {
      await empty.close();
    }
  });
});
