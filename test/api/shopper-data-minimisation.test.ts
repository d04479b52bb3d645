/**
 * Data minimisation, checked: after a scenario over real HTTP on a SQLite file (preferences,
 * recommendations, feedback, exports, erasures, malformed requests, unknown paths), no raw shopper
 * id is in the database file's bytes (WAL included) or in the captured log lines. Then the key is
 * rotated with the documented command's function and every shopper keeps their preferences.
 */
import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../../server/operations/logger.ts';
import { loadPseudonymKey, pseudonymize, pseudonymKeyVariable, rotatePseudonymKey } from '../../server/shoppers/index.ts';
import { SqliteStore } from '../../server/store/index.ts';
import { historyOf, startServing, type Serving } from './serving-harness.ts';

describe('shopper data minimisation and key rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-minimise-'));
  const file = join(dir, 'fedrec.db');
  const keyFile = join(dir, 'pseudonym.key');
  const lines: string[] = [];
  const ids = ['alice@example.com', 'Shopper-42-Raw-Id', 'bob/with slash?and=query', 'ünïcødé-shopper', 'erased-carol-0001', 'gpc-dave-9'];
  let store: SqliteStore;
  let serving: Serving;

  before(async () => {
    store = new SqliteStore(file);
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    serving = await startServing({ store, api: { logger, pseudonymKey: loadPseudonymKey({ file: keyFile }) } });
  });
  after(async () => {
    await serving.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the key file with mode 0600, refuses one others can read, and reads FEDREC_PSEUDONYM_KEY first', () => {
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600);
    const loose = join(dir, 'loose.key');
    loadPseudonymKey({ file: loose });
    chmodSync(loose, 0o644);
    expect(() => loadPseudonymKey({ file: loose })).to.throw(/readable by others/);
    const hex = 'ab'.repeat(32);
    expect(loadPseudonymKey({ file: loose, env: { [pseudonymKeyVariable]: hex } }).keys[0].toString('hex')).to.equal(hex);
    expect(() => loadPseudonymKey({ file: loose, env: { [pseudonymKeyVariable]: 'short' } })).to.throw(/64 lower-case hex/);
  });

  it('leaves no raw shopper id in the database bytes (WAL included) or the logs after a scenario', async () => {
    const { world } = serving;
    for (const [n, id] of ids.entries()) {
      const path = `/v1/shoppers/${encodeURIComponent(id)}`;
      expect((await serving.call('PUT', `${path}/preferences`, { consent: { choice: n % 3 === 2 ? 'opted-out' : 'opted-in', noticeVersion: 'n1', source: 'app' }, excludedBrands: ['Zed'] })).status).to.equal(200);
      expect((await serving.call('PUT', `${path}/preferences`, { consent: { choice: 'maybe' } })).status).to.equal(400);
      expect((await serving.call('GET', `${path}/preferences`)).status).to.equal(200);
      const rec = await serving.call('POST', '/v1/recommendations', { shopperId: id, history: historyOf(world, n), context: { storeId: world.stores[0].id }, personalization: true, k: 5 }, n === 5 ? { 'sec-gpc': '1' } : {});
      expect(rec.status).to.equal(200);
      expect((await serving.call('POST', '/v1/feedback', { shopperId: id, itemId: rec.body.items[0].itemId, modelVersion: 1, kind: 'never-show' })).status).to.equal(200);
      expect((await serving.call('POST', '/v1/feedback', { shopperId: id, itemId: 'nope', modelVersion: 7, kind: 'not-relevant' })).status).to.equal(400);
      expect((await serving.call('GET', `${path}/data`)).status).to.equal(200);
      expect((await serving.call('GET', `${path}/no-such-thing`)).status).to.equal(404);
    }
    expect((await serving.call('DELETE', `/v1/shoppers/${ids[4]}`)).body.total).to.be.greaterThan(0);
    await serving.api.exposure.flush();

    const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
    expect(existsSync(`${file}-wal`), 'the WAL is part of the scan').to.equal(true);
    const log = lines.join('');
    expect(lines.length).to.be.greaterThan(40);
    expect(log).to.include('/v1/shoppers/:shopperId/preferences');
    for (const id of ids) {
      for (const form of [id, encodeURIComponent(id)]) {
        expect(bytes.includes(Buffer.from(form, 'utf8')), `database holds ${form}`).to.equal(false);
        expect(log.includes(form), `log holds ${form}`).to.equal(false);
      }
    }
  });

  it('rotates the key and keeps every shopper’s preferences; no table holds an old pseudonym after', async () => {
    const before = new Map<string, unknown>();
    const kept = ids.filter((_, n) => n !== 4);
    for (const id of kept) before.set(id, (await serving.call('GET', `/v1/shoppers/${encodeURIComponent(id)}/data`)).body);
    const oldKey = loadPseudonymKey({ file: keyFile });
    await serving.close();

    const { shoppers, keys } = await rotatePseudonymKey(store, keyFile, 'system');
    expect([shoppers, keys]).to.deep.equal([kept.length, 2]);
    expect(existsSync(`${keyFile}.next`)).to.equal(false);
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600);
    const newKey = loadPseudonymKey({ file: keyFile });

    serving = await startServing({ store, api: { pseudonymKey: newKey } });
    for (const id of kept) {
      const { body } = await serving.call('GET', `/v1/shoppers/${encodeURIComponent(id)}/data`);
      const { exportedAt: _a, ...now } = body;
      const { exportedAt: _b, ...was } = before.get(id) as Record<string, unknown>;
      expect(now, id).to.deep.equal(was);
      expect(body.preferences.excludedBrands).to.deep.equal(['Zed']);
    }
    const db = new Database(file, { readonly: true });
    try {
      const olds = kept.map((id) => pseudonymize(oldKey, id));
      for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all()) {
        const text = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).raw().all());
        for (const old of olds) expect(text.includes(old), `${name} holds an old pseudonym`).to.equal(false);
      }
    } finally {
      db.close();
    }
    expect((await store.listAudit({ action: 'shopper.key-rotated' }))[0].details).to.deep.equal({ shoppers: kept.length, keys: 2 });
  });
});
