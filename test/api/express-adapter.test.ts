/**
 * What the express adapter does for every route besides the route's own validation, over real HTTP
 * on 127.0.0.1: compressed and chunked bodies, limits, charsets, HEAD, trailing slashes, %-encoded
 * params, and a kept-alive connection that survives a refused body.
 */
import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { startServing, type Serving } from './serving-harness.ts';

/** The app key of the running harness, which `raw` sends unless told otherwise. */
let appKey = '';

/** One raw request, with full control over headers and body chunks (fetch would add its own). */
function raw(url: string, options: { method: string; path: string; headers?: Record<string, string>; chunks?: Buffer[]; agent?: import('node:http').Agent }): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = httpRequest({ hostname, port, method: options.method, path: options.path, headers: { authorization: `Bearer ${appKey}`, ...options.headers }, agent: options.agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('express adapter', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
    appKey = serving.keys.app;
  });
  after(() => serving.close());

  const request = () => JSON.stringify({ history: [{ itemId: serving.world.catalog[3].id }], context: { storeId: serving.world.stores[0].id }, personalization: true, k: 3 });

  it('reads gzip, deflate and br bodies, and chunked ones', async () => {
    for (const [encoding, compress] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      const response = await raw(serving.url, { method: 'POST', path: '/v1/recommendations', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, chunks: [compress(request())] });
      expect(response.status, encoding).to.equal(200);
      expect(JSON.parse(response.text).items).to.have.length(3);
    }
    const text = Buffer.from(request());
    // No content-length: node sends it chunked, in three pieces.
    const chunked = await raw(serving.url, { method: 'POST', path: '/v1/recommendations', headers: { 'content-type': 'application/json' }, chunks: [text.subarray(0, 5), text.subarray(5, 40), text.subarray(40)] });
    expect(chunked.status).to.equal(200);
  });

  it('refuses what it cannot read with a 400 in the error shape: an unknown encoding, a corrupt gzip body, a charset other than UTF-8', async () => {
    const cases: Record<string, string>[] = [
      { 'content-type': 'application/json', 'content-encoding': 'compress' },
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      { 'content-type': 'application/json; charset=latin1' },
    ];
    for (const headers of cases) {
      const response = await raw(serving.url, { method: 'POST', path: '/v1/recommendations', headers, chunks: [Buffer.from(request())] });
      expect(response.status, JSON.stringify(headers)).to.equal(400);
      expect(JSON.parse(response.text).error.code).to.equal('invalid-input');
    }
  });

  it('applies the limit to the inflated bytes, and the kept-alive connection still serves the next request', async () => {
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // 300 KB of JSON that gzips to a few KB: over the 256 KB limit only once inflated.
      const big = JSON.stringify({ history: Array.from({ length: 15_000 }, () => ({ itemId: 'i00001' })), context: { storeId: 's' }, personalization: true });
      const refused = await raw(serving.url, { method: 'POST', path: '/v1/recommendations', agent, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, chunks: [gzipSync(big)] });
      expect(refused.status).to.equal(413);
      expect(JSON.parse(refused.text).error.code).to.equal('payload-too-large');
      const chunkedBig = await raw(serving.url, { method: 'POST', path: '/v1/recommendations', agent, headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(big.slice(0, 150_000)), Buffer.from(big.slice(150_000))] });
      expect(chunkedBig.status).to.equal(413);
      const next = await raw(serving.url, { method: 'POST', path: '/v1/recommendations', agent, headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(request())] });
      expect(next.status).to.equal(200);
    } finally {
      agent.destroy();
    }
  });

  it('answers HEAD from the GET route with the head only, its length included', async () => {
    const get = await raw(serving.url, { method: 'GET', path: '/healthz' });
    const head = await raw(serving.url, { method: 'HEAD', path: '/healthz' });
    expect(head.status).to.equal(200);
    expect(head.text).to.equal('');
    expect(head.headers['content-length']).to.equal(String(Buffer.byteLength(get.text)));
  });

  it('takes one trailing slash, decodes %-encoded params, and refuses a malformed escape with a 400', async () => {
    expect((await serving.call('GET', '/healthz/')).status).to.equal(200);
    const id = serving.world.catalog[0].id;
    const encoded = await serving.call('GET', `/v1/catalog/${encodeURIComponent(id).replace(/./, (c) => `%${c.charCodeAt(0).toString(16)}`)}`);
    expect(encoded.status).to.equal(200);
    expect(encoded.body.item.id).to.equal(id);
    const malformed = await serving.call('GET', '/v1/catalog/%E0%A4%A');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.issues[0].path).to.deep.equal(['params', 'itemId']);
  });
});
