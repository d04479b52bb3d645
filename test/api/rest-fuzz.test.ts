/**
 * REST fuzzing over real HTTP, against the coordinator's app on a SQLite file: fast-check drives
 * every route of the table with inputs from its own zod schema (so handlers are reached, not only
 * validators) and beyond it: wrong types, huge strings and arrays, deep nesting, prototype-pollution
 * keys, malformed %-escapes, invalid UTF-8, wrong content types, charsets and encodings, corrupt
 * compressed bodies, missing and wrong tokens, methods no route has. Seeded and bounded in time.
 *
 * Every answer must be a 4xx whose body is the error shape with no stack trace or internals, or a
 * 2xx whose body the route's response schema accepts; never a 5xx (the one exception is the job
 * start's documented 503 "too few clients connected", a state of the server, not of the input);
 * the database is byte-for-byte the same before and after every rejected request (the merchant
 * view's buffered counters flushed on both sides); and the process keeps answering.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { createApp, routes, type Route } from '../../server/api/index.ts';
import { errorBodySchema } from '../../server/api/common-schemas.ts';
import { ExposureRecorder } from '../../server/exposure/index.ts';
import { IssuedRecommendationLog } from '../../server/measurement/index.ts';
import { startCoordinator, type CoordinatorHost } from '../../server/host/start-coordinator.ts';
import { createLogger } from '../../server/operations/logger.ts';
import { ServedModel } from '../../server/serving/index.ts';
import { openStore, type FedrecStore } from '../../server/store/index.ts';
import { createRoleKeys, type RoleKeys } from '../helpers/role-keys.ts';
import { arbitraryFor } from './json-schema-arbitrary.ts';
import { activeWeights } from './serving-harness.ts';

const seed = 20_261_201;
const timeLimitMs = 25_000;

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function send(url: string, r: Sent): Promise<{ status: number; text: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = httpRequest({ hostname, port, method: r.method, path: r.path, headers: r.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(parts).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Everything in the database file, hashed table by table (rows in rowid order). */
function snapshot(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => {
        const hash = createHash('sha256');
        for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate()) hash.update(JSON.stringify(row, (_, v) => (v?.type === 'Buffer' ? createHash('sha256').update(Buffer.from(v.data)).digest('hex') : v)));
        return [name, hash.digest('hex')];
      }),
    );
  } finally {
    db.close();
  }
}

const hostileStrings = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'prototype', '../../etc/passwd', '%', '%E0%A4%A', '%zz', '%00', '\u0000', '\uD800', 'NaN', '-1', '1e400', 'true', 'null'),
  fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"history":[],"context":{"storeId":"s"},"personalization":true}',
    '{"constructor":{"prototype":{"polluted":true}},"items":[]}',
    '{"history":[{"itemId":"a","__proto__":{"polluted":1}}],"context":{"storeId":"s","constructor":1},"personalization":false}',
    '{"config":{"__proto__":{"rounds":5}},"initialVersion":1}',
  ),
  fc.integer({ min: 10, max: 50_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 10, max: 20_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1_000, max: 400_000 }).map((n) => JSON.stringify({ history: [{ itemId: 'y'.repeat(n) }], context: { storeId: 's' }, personalization: true })),
  fc.integer({ min: 100, max: 30_000 }).map((n) => JSON.stringify({ history: Array.from({ length: n }, () => ({ itemId: 'i1' })), context: { storeId: 's' }, personalization: true, exclude: Array.from({ length: n }, String) })),
  fc.constantFrom('', '{', '{"a":}', 'null', '7', '"text"', '[1,2', '{"history": [{"itemId": "\\ud800"}]}'),
);

/** encodeURIComponent, but a lone surrogate (which it refuses) is sent as its raw UTF-8 escape. */
const encode = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

/** A request to one route, from its schema or from the hostile pools above. */
function requestFor(route: Route, itemIds: readonly string[], keys: RoleKeys): fc.Arbitrary<Sent> {
  const paramValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...itemIds) }, { weight: 2, arbitrary: hostileStrings.map(encode) }, fc.constantFrom('%', '%E0%A4%A', '%zz', '..', '%2F..%2F'), fc.stringMatching(/^\d{1,16}$/));
  const pathArb = fc.tuple(...route.path.split('/').map((segment) => (segment.startsWith(':') ? paramValue : fc.constant(segment)))).map((parts) => parts.join('/'));
  const schemaQuery = route.query ? arbitraryFor(route.query) : fc.constant({});
  const hostileQuery = fc.dictionary(fc.constantFrom('store', 'segment', 'from', 'to', '__proto__', 'constructor', 'x', 'to[]', 'token'), hostileStrings, { maxKeys: 4 });
  const queryArb = fc.oneof(schemaQuery, hostileQuery, fc.tuple(schemaQuery, fc.constantFrom('store', 'segment', 'from')).map(([q, key]) => ({ ...(q as object), [key]: ['a', 'b'] })));
  const bodyText = route.body && route.bodyType !== 'binary' ? fc.oneof({ weight: 3, arbitrary: arbitraryFor(route.body).map((b) => JSON.stringify(b)) }, { weight: 3, arbitrary: hostileJson }) : fc.oneof(fc.constant(''), hostileJson);
  const bodyBytes = fc.oneof(
    { weight: 6, arbitrary: bodyText.map((t) => Buffer.from(t)) },
    fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b)),
    bodyText.map((t) => Buffer.concat([Buffer.from(t.slice(0, Math.floor(t.length / 2))), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(t.slice(Math.floor(t.length / 2)))])),
  );
  const properType = route.bodyType === 'binary' ? 'application/octet-stream' : 'application/json';
  const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant(properType) }, fc.constantFrom(undefined, 'text/plain', 'application/json; charset=latin1', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json'));
  const encoding = fc.oneof({ weight: 6, arbitrary: fc.constant('identity') }, fc.constantFrom('gzip', 'deflate', 'br', 'gzip-corrupt', 'compress', 'gzip, br'));
  // The route's own role most often; another role's key (403), a wrong or malformed one (401), none.
  const right = route.public ? keys.app : keys[route.roles[0]];
  const other = route.public || route.roles[0] !== 'app' ? keys.app : keys.merchant;
  const auth = fc.constantFrom(`Bearer ${right}`, `Bearer ${right}`, `Bearer ${other}`, 'Bearer wrong', 'Basic dXNlcjpwYXNz', undefined, `bearer ${right}x`);
  const method = fc.oneof({ weight: 9, arbitrary: fc.constant(route.method.toUpperCase()) }, fc.constantFrom('DELETE', 'PATCH', 'HEAD', 'PUT', 'POST', 'GET'));
  return fc.record({ path: pathArb, query: queryArb, body: bodyBytes, contentType, encoding, auth, method, withBody: fc.boolean() }).map(({ path, query, body, contentType: type, encoding: enc, auth: authorization, method: m, withBody }) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    let bytes: Buffer | undefined;
    if (route.body || withBody) {
      bytes = enc === 'gzip' ? gzipSync(body) : enc === 'deflate' ? deflateSync(body) : enc === 'br' ? brotliCompressSync(body) : enc === 'gzip-corrupt' ? Buffer.concat([gzipSync(body).subarray(0, 12), Buffer.from('garbage')]) : body;
      if (type) headers['content-type'] = type;
      if (enc !== 'identity') headers['content-encoding'] = enc === 'gzip-corrupt' ? 'gzip' : enc;
      headers['content-length'] = String(bytes.length);
    }
    const qs = search.toString();
    return { method: m, path: path + (qs ? `?${qs}` : ''), headers, body: bytes };
  });
}

/** The routes whose method and pattern match a request (HEAD as GET, one trailing slash ignored, as express does). */
function routesMatching(method: string, pathAndQuery: string): Route[] {
  const path = pathAndQuery.split('?')[0].replace(/(.)\/$/, '$1').split('/');
  return routes.filter((r) => {
    const segments = r.path.split('/');
    return r.method.toUpperCase() === (method === 'HEAD' ? 'GET' : method) && segments.length === path.length && segments.every((s, i) => (s.startsWith(':') ? path[i] !== '' : s === path[i]));
  });
}

/** What an error body must never show: stack frames, file paths, error class names, SQL. */
const internals = /\bat [^\s]+ \(|node_modules|\/work\/|\.ts:\d+|TypeError|RangeError|ReferenceError|SyntaxError|SqliteError|SQLITE_|stack/;

describe('REST fuzz', function () {
  this.timeout(timeLimitMs + 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-fuzz-'));
  const file = join(dir, 'fuzz.db');
  let store: FedrecStore;
  let host: CoordinatorHost;
  let exposure: ExposureRecorder;
  let issued: IssuedRecommendationLog;
  let itemIds: string[];
  let keys: RoleKeys;

  before(async () => {
    const world = generateWorld({ seed: 3, stores: 4, shoppers: 300, items: 120 });
    modelForWorld(world, 5, { embeddingDim: 8, storeDim: 4, historyLength: 12 });
    store = openStore(file);
    keys = await createRoleKeys(store);
    await store.putCatalog(world.catalog);
    const servedModel = new ServedModel({ catalog: world.catalog });
    servedModel.release(1, activeWeights(world, 11));
    // Timer flushes off: the test flushes around every request so a rejected one is compared on settled state.
    exposure = new ExposureRecorder(store, { flushMs: 3_600_000 });
    // Likewise the recommendations issued to named shoppers (issue 14), written in batches.
    issued = new IssuedRecommendationLog(store, { flushMs: 3_600_000 });
    host = await startCoordinator({
      store,
      port: 0,
      log: () => {},
      app: (coordinator) => createApp({ store, servedModel, exposure, issued, coordinator, logger: createLogger({ level: 'silent' }), rateLimits: { perAddress: 0, perCredential: 0 } }),
    });
    itemIds = [...world.catalog.slice(0, 5).map((i) => i.id), world.stores[0].id, '1', 'not-an-item'];
  });
  after(async () => {
    await host.close();
    await exposure.close();
    await issued.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes what an earlier accepted request left pending (exposure counters, issued recommendations). */
  const settle = () => Promise.all([exposure.flush(), issued.flush()]);

  it('answers every generated request with a clean 4xx or a valid 2xx, and leaves the store untouched by rejected ones', async () => {
    const seen = new Map<string, number>();
    const anyRequest = fc.constantFrom(...routes).chain((route) => requestFor(route, itemIds, keys).map((sent) => ({ operationId: route.operationId, sent })));
    await fc.assert(
      fc.asyncProperty(anyRequest, async ({ operationId, sent }) => {
        const route = routes.find((r) => r.operationId === operationId)!;
        await settle();
        const before = snapshot(file);
        const { status, text, contentType } = await send(host.url, sent);
        const where = `${sent.method} ${sent.path.slice(0, 120)} → ${status} ${text.slice(0, 300)}`;
        seen.set(`${Math.floor(status / 100)}xx`, (seen.get(`${Math.floor(status / 100)}xx`) ?? 0) + 1);
        const documented503 = status === 503 && route.operationId === 'postJob' && sent.method === 'POST';
        expect(status < 500 || documented503, where).to.equal(true);
        if (status >= 400) {
          if (sent.method !== 'HEAD') {
            expect(errorBodySchema.safeParse(JSON.parse(text)).success, where).to.equal(true);
            expect(internals.test(text), `internals in ${where}`).to.equal(false);
          }
          await settle();
          expect(snapshot(file), `store changed by ${where}`).to.deep.equal(before);
        } else if (sent.method !== 'HEAD' && route.responseType !== 'binary' && route.responseType !== 'text' && contentType.startsWith('application/json')) {
          // The route that answered: a generated path can match another one (an empty last
          // param and express's optional trailing slash make /v1/jobs/ the job list).
          const answered = routesMatching(sent.method, sent.path);
          const body = JSON.parse(text);
          expect(answered.some((r) => r.response.safeParse(body).success), `response schema: ${where}`).to.equal(true);
        }
        expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
      }),
      { seed, numRuns: 2_000, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
    );
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    console.log(`      (${total} requests in ${timeLimitMs / 1000} s at most: ${[...seen].map(([k, v]) => `${v} ${k}`).join(', ')})`);
    expect(total).to.be.at.least(100);
    expect(seen.get('2xx') ?? 0, 'some requests reach the handlers').to.be.at.least(10);
    expect((await send(host.url, { method: 'GET', path: '/healthz', headers: {} })).status, 'still answering').to.equal(200);
  });
});
