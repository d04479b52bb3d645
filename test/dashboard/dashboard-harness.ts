/**
 * One real server for the browser tests, as `fedrec serve` assembles it (startFedrecServer over a
 * SQLite file on 127.0.0.1, port 0), with a catalogue, an uploaded starting model, one key per
 * role and simulated store clients connected over socket.io; and one headless Chromium (Debian's,
 * driven by playwright-core) whose pages fail the test on any console error or on any request to
 * a host other than 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { storePopulations } from '../../cli/store-populations.ts';
import { connectSimulatedStores } from '../../client-sim/store-client/connect-simulated-stores.ts';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
import { generateWorld, leaveLastOut } from '../../client-sim/world/index.ts';
import { modelForWorld, selectBackend, serializeWeights } from '../../models/index.ts';
import { startFedrecServer, type FedrecServer } from '../../server/host/start-fedrec-server.ts';
import { SeededRandomSource } from '../../server/privacy/index.ts';
import { registerClients } from '../../server/realtime/index.ts';
import { defaultShopperId } from '../../dashboard/panel.ts';
import { systemActor } from '../../server/governance/index.ts';
import { holdoutDraw, holdoutSaltName } from '../../server/measurement/index.ts';
import { generatePseudonymKey, pseudonymize } from '../../server/shoppers/index.ts';
import { openStore, type FedrecStore, type Role } from '../../server/store/index.ts';
import { createRoleKeys, type RoleKeys } from '../helpers/role-keys.ts';

export const chromiumPath = process.env.FEDREC_CHROMIUM ?? '/usr/bin/chromium';

export interface DashboardRig {
  url: string;
  store: FedrecStore;
  server: FedrecServer;
  keys: RoleKeys;
  world: ReturnType<typeof generateWorld>;
  initialVersion: number;
  browser: Browser;
  /** Every console error and off-host request of every page opened, as text. */
  problems: string[];
  /** A new context and page, signed in with the role's key, on the first panel. */
  signedIn(role: Role, options?: { extraHTTPHeaders?: Record<string, string> }): Promise<{ context: BrowserContext; page: Page }>;
  /** REST over Node's fetch with the role's key. */
  call(role: Role, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startDashboardRig(): Promise<DashboardRig> {
  await selectBackend(() => {});
  const folder = mkdtempSync(join(tmpdir(), 'fedrec-dashboard-'));
  const store = openStore(join(folder, 'fedrec.db'));
  const world = generateWorld({ seed: 5, stores: 3, shoppers: 240, items: 60 });
  const split = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 5, { embeddingDim: 8, storeDim: 4 });
  await store.putCatalog(world.catalog);
  const pseudonymKey = generatePseudonymKey();
  // The holdout group (holdoutShare of named shoppers, at most 0.5) is drawn from the experiment's
  // random salt, so the dashboard's own shopper would be held out in about one run in twenty and
  // then never personalised whatever their consent (a flaky preference-center test): the rig sets
  // a salt under which that shopper is in treatment, before the server has drawn one.
  let salt: Buffer;
  do salt = randomBytes(32);
  while (holdoutDraw(salt, pseudonymize(pseudonymKey, defaultShopperId)) < 0.5);
  await store.putSetting(holdoutSaltName, salt.toString('hex'), { actor: systemActor, action: 'experiment.salt-created', target: holdoutSaltName, details: {} });
  const server = await startFedrecServer({ store, port: 0, log: () => {}, env: {}, pseudonymKey });
  const keys = await createRoleKeys(store);
  const url = server.url;
  const call: DashboardRig['call'] = async (role, method, path, body) => {
    const isBytes = body instanceof Uint8Array;
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${keys[role]}`, ...(body === undefined ? {} : { 'content-type': isBytes ? 'application/octet-stream' : 'application/json' }) },
      body: body === undefined ? undefined : isBytes ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
  const uploaded = await call('engineer', 'POST', '/v1/model-versions', serializeWeights(model.weights));
  const credentials = await registerClients(store, storePopulations(world), 'dashboard');
  // Each answer waits 500 ms, so a job's rounds finish while the page watches (a round here trains in milliseconds).
  const clients: StoreClient[] = await connectSimulatedStores({ url, credentials, world, split, features: model.features, clientOptions: { random: new SeededRandomSource(7), answerDelayMs: 500 } });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  const rig: DashboardRig = {
    url,
    store,
    server,
    keys,
    world,
    initialVersion: uploaded.body.version,
    browser,
    problems,
    async signedIn(role, options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: options.extraHTTPHeaders });
      contexts.push(context);
      // Any request for another host fails the test (and is not sent).
      await context.route('**/*', (route) => {
        const host = new URL(route.request().url()).hostname;
        if (host === '127.0.0.1') return route.continue();
        problems.push(`request to another host: ${route.request().url()}`);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('console', (message) => message.type() === 'error' && problems.push(`console error (${role}): ${message.text()}`));
      page.on('pageerror', (error) => problems.push(`page error (${role}): ${error.message}`));
      page.on('websocket', (socket) => new URL(socket.url()).hostname !== '127.0.0.1' && problems.push(`websocket to another host: ${socket.url()}`));
      await page.goto(url);
      await page.fill('#api-key', keys[role]);
      await page.keyboard.press('Enter');
      await page.waitForSelector('nav button[aria-current="page"]');
      return { context, page };
    },
    call,
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      clients.forEach((c) => c.close());
      await server.close();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return rig;
}
