/**
 * The middleware a public service needs, over real HTTP on 127.0.0.1: security headers, CORS
 * (closed by default, open per configured origin, preflight answered) and rate limits (429 with the
 * IETF RateLimit fields and Retry-After after the configured number of requests, per address and per
 * credential), and the request id.
 */
import { expect } from 'chai';
import { startServing, type Serving } from './serving-harness.ts';

describe('middleware over real HTTP', () => {
  describe('security headers and CORS, closed by default', () => {
    let serving: Serving;
    before(async () => (serving = await startServing()));
    after(() => serving.close());

    it('sends helmet’s headers for a JSON API that will also serve a page, and no X-Powered-By', async () => {
      const response = await fetch(`${serving.url}/healthz`);
      const h = response.headers;
      expect(h.get('x-content-type-options')).to.equal('nosniff');
      expect(h.get('content-security-policy')).to.include("default-src 'self'").and.include("frame-ancestors 'none'").and.include("object-src 'none'");
      expect(h.get('x-frame-options')).to.equal('SAMEORIGIN');
      expect(h.get('referrer-policy')).to.equal('no-referrer');
      expect(h.get('strict-transport-security')).to.match(/max-age=\d+/);
      expect(h.get('cross-origin-resource-policy')).to.equal('same-site');
      expect(h.get('x-powered-by')).to.equal(null);
      expect(h.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    });

    it('echoes a caller’s plain request id, and replaces one that is not', async () => {
      expect((await fetch(`${serving.url}/healthz`, { headers: { 'x-request-id': 'shop-42.a' } })).headers.get('x-request-id')).to.equal('shop-42.a');
      expect((await fetch(`${serving.url}/healthz`, { headers: { 'x-request-id': 'a b\u00e9'.repeat(30) } })).headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    });

    it('refuses every origin when none is configured: no Access-Control-Allow-Origin, on a request or a preflight', async () => {
      const simple = await fetch(`${serving.url}/v1/model`, { headers: { origin: 'https://shop.example' } });
      expect(simple.headers.get('access-control-allow-origin')).to.equal(null);
      const preflight = await fetch(`${serving.url}/v1/recommendations`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);
      expect(preflight.headers.get('access-control-allow-methods')).to.equal(null);
    });
  });

  describe('CORS for a configured origin', () => {
    let serving: Serving;
    before(async () => (serving = await startServing({ api: { corsOrigins: ['https://shop.example'] } })));
    after(() => serving.close());

    it('allows that origin, answers its preflight, and still refuses another', async () => {
      const allowed = await fetch(`${serving.url}/v1/model`, { headers: { origin: 'https://shop.example', authorization: `Bearer ${serving.keys.app}` } });
      expect(allowed.status).to.equal(200);
      expect(allowed.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
      expect(allowed.headers.get('access-control-expose-headers')).to.include('RateLimit').and.include('Retry-After');
      const preflight = await fetch(`${serving.url}/v1/recommendations`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
      expect(preflight.headers.get('access-control-allow-methods')).to.include('POST');
      expect(preflight.headers.get('access-control-allow-headers')).to.include('content-type').and.include('authorization');
      const other = await fetch(`${serving.url}/v1/model`, { headers: { origin: 'https://shop.example.evil', authorization: `Bearer ${serving.keys.app}` } });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    });
  });

  describe('rate limits', () => {
    let serving: Serving;
    before(async () => (serving = await startServing({ api: { rateLimits: { windowMs: 60_000, perAddress: 5, perCredential: 3 } } })));
    after(() => serving.close());

    it('answers 429 with the RateLimit fields and Retry-After once an address has used its quota', async () => {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 7; i++) {
        last = await fetch(`${serving.url}/healthz`);
        statuses.push(last.status);
        if (i === 0) {
          expect(last.headers.get('ratelimit-policy')).to.match(/q=5;\s*w=60/);
          expect(last.headers.get('ratelimit')).to.match(/r=4;\s*t=\d+/);
        }
      }
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).to.be.within(1, 60);
      expect(last!.headers.get('ratelimit')).to.match(/r=0/);
      const body = await last!.json();
      expect(body.error.code).to.equal('rate-limited');
    });

    it('holds a credential to its own quota whatever the address', async () => {
      const fresh = await startServing({ api: { rateLimits: { windowMs: 60_000, perAddress: 100, perCredential: 3 } } });
      try {
        const statuses: number[] = [];
        const answers: Response[] = [];
        for (let i = 0; i < 5; i++) answers.push(await fetch(`${fresh.url}/healthz`, { headers: { authorization: 'Bearer some-app-key' } }));
        statuses.push(...answers.map((a) => a.status));
        expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
        // Both limiters' items, each field on one line (a structured-field list), each policy with its partition key.
        expect(answers[0].headers.get('ratelimit')).to.match(/^"address"; r=99; t=\d+, "credential"; r=2; t=\d+$/);
        expect(answers[0].headers.get('ratelimit-policy')).to.match(/^"address"; q=100; w=60; pk=:[A-Za-z0-9+/=]+:, "credential"; q=3; w=60; pk=:[A-Za-z0-9+/=]+:$/);
        expect(answers[3].headers.get('ratelimit')).to.match(/"credential"; r=0; t=\d+$/);
        expect(Number(answers[3].headers.get('retry-after'))).to.be.within(1, 60);
        // Another credential (or none) from the same address is not held back by it.
        expect((await fetch(`${fresh.url}/healthz`, { headers: { authorization: 'Bearer another-key' } })).status).to.equal(200);
        expect((await fetch(`${fresh.url}/healthz`)).status).to.equal(200);
      } finally {
        await fresh.close();
      }
    });

    it('counts the address window first: a request it refuses does not count against the credential (addresses from a trusted X-Forwarded-For)', async () => {
      const fresh = await startServing({ api: { trustProxy: true, rateLimits: { windowMs: 60_000, perAddress: 2, perCredential: 3 } } });
      try {
        const from = async (address: string) => {
          const answer = await fetch(`${fresh.url}/healthz`, { headers: { authorization: 'Bearer shared-key', 'x-forwarded-for': address } });
          return { status: answer.status, body: answer.status === 429 ? ((await answer.json()) as { error: { message: string } }) : undefined, retryAfter: answer.headers.get('retry-after') };
        };
        const first = [await from('10.0.0.1'), await from('10.0.0.1'), await from('10.0.0.1')];
        expect(first.map((a) => a.status)).to.deep.equal([200, 200, 429]);
        expect(first[2].body!.error.message).to.include('address');
        // The credential has been counted twice, not three times: one more request passes, then it is refused.
        const second = [await from('10.0.0.2'), await from('10.0.0.2')];
        expect(second.map((a) => a.status)).to.deep.equal([200, 429]);
        expect(second[1].body!.error.message).to.include('credential');
        expect(Number(second[1].retryAfter)).to.be.within(1, 60);
      } finally {
        await fresh.close();
      }
    });
  });
});
