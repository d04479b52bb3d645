/**
 * What the request log holds after a scripted session over real HTTP: JSON lines with a level and a
 * request id, and no history item id, no token and no body, whatever the requests carried (a token
 * in the Authorization header and in a query string, histories, a catalogue upload, a malformed
 * body). A client that aborts mid-body is one debug line, not an unexpected failure.
 */
import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { createLogger } from '../../server/operations/logger.ts';
import { MemoryStore } from '../../server/store/index.ts';
import { startServing, type Serving } from './serving-harness.ts';

describe('request log', () => {
  let serving: Serving;
  const lines: string[] = [];
  before(async () => {
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    serving = await startServing({ api: { logger } });
  });
  after(() => serving.close());

  it('holds no history item id, no token and no body after a scripted session; one debug line for an abort', async () => {
    const { world } = serving;
    // Ids that appear in this session only inside request bodies.
    const historyIds = [world.catalog[101].id, world.catalog[102].id, world.catalog[103].id];
    const marker = 'Body-Marker-Kombucha-Deluxe';
    const history = historyIds.map((itemId) => ({ itemId }));
    expect((await serving.call('POST', '/v1/recommendations', { history, context: { storeId: world.stores[1].id }, personalization: true, k: 5 })).status).to.equal(200);
    expect((await serving.call('POST', '/v1/recommendations', { history, context: { storeId: marker }, personalization: 'yes' })).status).to.equal(400);
    expect((await serving.call('POST', '/v1/recommendations', `{"history": [{"itemId": "${historyIds[0]}"`)).status).to.equal(400);
    expect((await serving.call('PUT', '/v1/catalog', { items: [{ id: 'x-log-1', name: marker, category: 'Beverages', brand: 'B', price: 1, promotion: false, novelty: false }] })).status).to.equal(200);
    expect((await serving.call('GET', `/v1/model?token=${serving.keys.app}`)).status).to.equal(200);
    expect((await serving.call('GET', '/v1/jobs', undefined, { authorization: 'Bearer wrong-token-value-123' })).status).to.equal(401);
    expect((await serving.call('GET', '/no/such/route')).status).to.equal(404);
    await abortMidBody(serving.url, `{"history":[{"itemId":"${historyIds[1]}"}],"context":`, serving.keys.app);
    // The abort's line is written when the server sees the socket close.
    const end = Date.now() + 2_000;
    while (!lines.some((l) => l.includes('request aborted')) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));

    const text = lines.join('');
    for (const id of historyIds) expect(text, `history item ${id}`).to.not.include(id);
    for (const key of Object.values(serving.keys)) expect(text, 'an API key').to.not.include(key);
    expect(text).to.not.include('wrong-token-value-123');
    expect(text).to.not.include(marker);
    expect(text).to.not.include('"body"');
    expect(text.toLowerCase()).to.not.include('authorization');

    const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { id: string; method: string; path: string }; res?: { statusCode: number } });
    const requests = records.filter((r) => r.req);
    expect(requests.length).to.be.at.least(8);
    for (const r of requests) expect(r.req!.id).to.match(/^[0-9a-f-]{36}$/);
    expect(requests.find((r) => r.req!.path === '/v1/model')!.req).to.not.have.property('query');
    const aborted = records.filter((r) => r.msg === 'request aborted');
    expect(aborted).to.have.length(1);
    expect(aborted[0].level, 'debug').to.equal(20);
    expect(records.filter((r) => r.level >= 50), 'no error lines: nothing here was unexpected').to.deep.equal([]);
  });
});

/** Sends the head and part of a body, then closes the socket. */
/** A caller with a valid app key (so the body is read at all) that goes away mid-body. */
function abortMidBody(url: string, part: string, appKey: string): Promise<void> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const req = httpRequest({ hostname, port, method: 'POST', path: '/v1/recommendations', headers: { 'content-type': 'application/json', 'content-length': '5000', authorization: `Bearer ${appKey}` } });
    req.on('error', () => resolve());
    req.write(part, () => setTimeout(() => {
      req.destroy();
      resolve();
    }, 100));
  });
}

describe('request log, a failure inside a route', () => {
  it('logs the failure once at error on the redacting logger with the request id; the access line carries no copy of it', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const store = new MemoryStore();
    const secret = 'leaked-secret-value-42';
    // A store bug whose error holds a token (a property the redaction paths name).
    store.listJobs = async () => {
      throw Object.assign(new Error('store broke'), { token: secret });
    };
    const serving = await startServing({ store, api: { logger } });
    try {
      const answer = await serving.call('GET', '/v1/jobs');
      expect(answer.status).to.equal(500);
      expect(answer.text).to.not.include('store broke');
    } finally {
      await serving.close();
    }
    logger.flush();
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; reqId?: string; err?: { message: string; token?: string }; req?: { id: string; path: string }; failure?: unknown; res?: { statusCode: number } });
    const failures = records.filter((r) => r.msg === 'unexpected failure');
    expect(failures).to.have.length(1);
    expect(failures[0].level).to.equal(50);
    expect(failures[0].err!.message).to.equal('store broke');
    expect(failures[0].err!.token).to.equal('[redacted]');
    const access = records.filter((r) => r.req?.path === '/v1/jobs');
    expect(access).to.have.length(1);
    expect(access[0].res!.statusCode).to.equal(500);
    expect(access[0].req!.id).to.equal(failures[0].reqId);
    expect(access[0]).to.not.have.property('failure');
    expect(access[0]).to.not.have.property('err');
    expect(lines.join('\n')).to.not.include(secret);
  });
});
