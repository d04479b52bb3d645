/**
 * The node server's limits against slow and many clients, over real sockets on 127.0.0.1: a body
 * dripped a byte at a time and headers dripped likewise are cut at the request and header timeouts
 * (node's defaults kept them 300 s and 60 s, checked every 30 s), and connections past the cap are
 * closed at once. Short limits here so the test is quick; the defaults are in server-limits.ts.
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startServing, type Serving } from './serving-harness.ts';

/** Opens a raw socket and resolves once connected; `closed` resolves when the server ends it. */
function open(url: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const started = Date.now();
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('server limits against slow and many clients', function () {
  this.timeout(20_000);
  let serving: Serving;
  before(async () => {
    serving = await startServing({ api: { serverLimits: { requestTimeoutMs: 1_500, headersTimeoutMs: 800, idleTimeoutMs: 5_000, maxConnections: 40 }, rateLimits: { perAddress: 0, perCredential: 0 } } });
  });
  after(() => serving.close());

  it('cuts 30 sockets that drip a body, and 5 that drip headers, within 2.5 s of their timeouts (they would drip for ever without them)', async () => {
    const drips = await Promise.all(Array.from({ length: 30 }, () => open(serving.url)));
    const timers: NodeJS.Timeout[] = [];
    for (const { socket } of drips) {
      socket.write('POST /v1/recommendations HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{');
      timers.push(setInterval(() => socket.writable && socket.write(' '), 200));
    }
    const slowHeads = await Promise.all(Array.from({ length: 5 }, () => open(serving.url)));
    for (const { socket } of slowHeads) {
      socket.write('GET /healthz HTTP/1.1\r\n');
      timers.push(setInterval(() => socket.writable && socket.write('x-a: b\r\n'), 200));
    }
    try {
      const bodyTimes = await Promise.all(drips.map((d) => d.closed));
      const headTimes = await Promise.all(slowHeads.map((d) => d.closed));
      expect(Math.max(...bodyTimes), 'every body drip cut by the request timeout').to.be.below(1_500 + 2_500);
      expect(Math.max(...headTimes), 'every header drip cut by the headers timeout').to.be.below(800 + 2_500);
      // And the server still answers.
      expect((await serving.call('GET', '/healthz')).status).to.equal(200);
    } finally {
      timers.forEach(clearInterval);
    }
  });

  it('closes connections past the cap at once, and serves again when they are gone', async () => {
    const sockets = await Promise.all(Array.from({ length: 60 }, () => open(serving.url)));
    const closedEarly = await Promise.all(sockets.map(({ closed }) => Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))])));
    const connections = await new Promise<number>((resolve) => serving.api.server.getConnections((_, n) => resolve(n)));
    expect(connections, 'open sockets on the server').to.be.at.most(40);
    expect(closedEarly.filter(Boolean).length, 'sockets the server refused').to.be.at.least(20);
    sockets.forEach(({ socket }) => socket.destroy());
    await new Promise((r) => setTimeout(r, 100));
    expect((await serving.call('GET', '/healthz')).status).to.equal(200);
  });
});
