import { expect } from 'chai';
import express from 'express';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageClasses } from './express-message-classes.ts';
import { createLimitedServer } from './server-limits.ts';

describe('messageClasses (requests and responses born with the express app’s prototypes)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** What the server built, seen before express touches it (prepended 'request' listener), and what express then answered. */
  async function serve(adopt: boolean): Promise<{ before: { request: boolean; response: boolean }; body: unknown }> {
    const app = express();
    app.get('/whoami', (req, res) => {
      res.status(200).json({ ip: req.ip, path: req.path, isRequest: req instanceof IncomingMessage, isResponse: res instanceof ServerResponse });
    });
    const classes = messageClasses();
    if (adopt) classes.adopt(app);
    server = createLimitedServer(app, {}, classes);
    const before = { request: false, response: false };
    server.prependListener('request', (req, res) => {
      before.request = Object.getPrototypeOf(req) === app.request;
      before.response = Object.getPrototypeOf(res) === app.response;
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const body = await (await fetch(`http://127.0.0.1:${port}/whoami`)).json();
    return { before, body };
  }

  it('builds each request and response with the app’s prototype, so express re-parents nothing, and express works as before', async () => {
    const { before, body } = await serve(true);
    expect(before).to.deep.equal({ request: true, response: true });
    expect(body).to.deep.equal({ ip: '127.0.0.1', path: '/whoami', isRequest: true, isResponse: true });
  });

  it('leaves node’s own prototypes until an app is adopted (express then re-parents, as without the classes)', async () => {
    const { before, body } = await serve(false);
    expect(before).to.deep.equal({ request: false, response: false });
    expect(body).to.deep.equal({ ip: '127.0.0.1', path: '/whoami', isRequest: true, isResponse: true });
  });

  it('ignores a listener that is not an express app', () => {
    const classes = messageClasses();
    classes.adopt(() => {});
    expect(classes.IncomingMessage?.prototype).to.equal(IncomingMessage.prototype);
    expect(classes.ServerResponse?.prototype).to.equal(ServerResponse.prototype);
  });
});
