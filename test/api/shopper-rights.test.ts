/**
 * Shopper rights over real HTTP and a real SQLite file: each stored preference honoured on the very
 * next request, GPC, the opt-in default, a request flag that cannot widen consent, consent history
 * with its audit entries, the access export, erasure (no row of any table holds the pseudonym
 * after it), suppression across a model-version change, and complaint rates against hand-computed
 * values (sealing noise 0, so the arithmetic is exact).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generatePseudonymKey, pseudonymize } from '../../server/shoppers/index.ts';
import { SqliteStore } from '../../server/store/index.ts';
import { activeWeights, historyOf, startServing, type Serving } from './serving-harness.ts';

describe('shopper rights over HTTP on a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-shoppers-'));
  const file = join(dir, 'fedrec.db');
  const key = generatePseudonymKey();
  let now = new Date('2026-12-01T10:00:00.000Z');
  let serving: Serving;
  let store: SqliteStore;

  before(async () => {
    store = new SqliteStore(file);
    serving = await startServing({ store, minCohort: 3, clock: () => now, sealNoiseStd: 0, api: { pseudonymKey: key } });
  });
  after(async () => {
    await serving.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const recommend = (shopperId: string | undefined, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    serving.call('POST', '/v1/recommendations', { ...(shopperId ? { shopperId } : {}), history: historyOf(serving.world, 1), context: { storeId: serving.world.stores[0].id }, personalization: true, k: 20, ...extra }, headers);
  const put = (shopperId: string, body: Record<string, unknown>) => serving.call('PUT', `/v1/shoppers/${encodeURIComponent(shopperId)}/preferences`, body);
  const optIn = { choice: 'opted-in', noticeVersion: 'notice-3', source: 'app-settings' };

  it('documents the shopper routes with the role app, and Sec-GPC as a header of the recommendation route', async () => {
    const { body } = await serving.call('GET', '/openapi.json');
    for (const [path, method] of [['/v1/shoppers/{shopperId}/preferences', 'get'], ['/v1/shoppers/{shopperId}/preferences', 'put'], ['/v1/shoppers/{shopperId}/data', 'get'], ['/v1/shoppers/{shopperId}', 'delete'], ['/v1/feedback', 'post']]) {
      expect(body.paths[path][method]['x-roles'], `${method} ${path}`).to.deep.equal(['app']);
    }
    expect(body.paths['/v1/merchant/complaints'].get['x-roles']).to.deep.equal(['merchant']);
    expect(body.paths['/v1/recommendations'].post.parameters).to.deep.include.members([{ name: 'sec-gpc', in: 'header', required: false, schema: { type: 'string' }, description: body.paths['/v1/recommendations'].post.parameters.find((p: { name: string }) => p.name === 'sec-gpc').description }]);
    expect((await serving.call('GET', '/v1/shoppers/x/data', undefined, { authorization: `Bearer ${serving.keys.merchant}` })).status, 'a merchant key cannot read a shopper').to.equal(403);
  });

  it('serves a shopper never asked non-personalised (opt-in), and says so', async () => {
    const { status, body } = await recommend('never-asked-7');
    expect(status).to.equal(200);
    expect(body.personalized).to.equal(false);
    expect(body.historyRead).to.equal(0);
    expect(body.choices).to.include({ shopper: true, consent: 'never-asked', globalPrivacyControl: false });
    expect(body.items[0].reason).to.match(/^Not personalised, as you have not been asked/);
    expect(body.items[0].attributions.every((a: { concept: string }) => !a.concept.startsWith('purchase'))).to.equal(true);
    expect((await serving.call('GET', '/v1/shoppers/never-asked-7/preferences')).body).to.include({ consent: 'never-asked', consentRecord: null });
  });

  it('honours each preference on the very next request: consent, opting out, do-not-target, categories, brands', async () => {
    const id = 'shopper-prefs-1';
    expect((await put(id, { consent: optIn })).status).to.equal(200);
    const personal = await recommend(id);
    expect(personal.body.personalized).to.equal(true);
    expect(personal.body.historyRead).to.be.greaterThan(0);

    const top = personal.body.items[0];
    const brand = serving.world.catalog.find((i) => i.id === personal.body.items[1].itemId)!.brand;
    expect((await put(id, { excludedCategories: [top.category], excludedBrands: [brand] })).status).to.equal(200);
    const narrowed = await recommend(id);
    expect(narrowed.body.personalized, 'consent kept when a PUT omits it').to.equal(true);
    expect(narrowed.body.items.map((i: { category: string }) => i.category)).to.not.include(top.category);
    const brandOf = (itemId: string) => serving.world.catalog.find((i) => i.id === itemId)?.brand;
    expect(narrowed.body.items.map((i: { itemId: string }) => brandOf(i.itemId))).to.not.include(brand);
    expect(narrowed.body.choices).to.deep.include({ excludedCategories: [top.category], excludedBrands: [brand] });

    await put(id, { doNotTarget: true });
    const untargeted = await recommend(id);
    expect(untargeted.body.personalized).to.equal(false);
    expect(untargeted.body.items[0].reason).to.match(/as you asked not to be targeted/);
    expect(untargeted.body.items.map((i: { category: string }) => i.category), 'exclusions dropped with the PUT that omitted them').to.include(top.category);

    await put(id, { consent: { ...optIn, choice: 'opted-out' } });
    const out = await recommend(id);
    expect(out.body.personalized).to.equal(false);
    expect(out.body.choices.consent).to.equal('opted-out');
    expect(out.body.items[0].reason).to.match(/^Not personalised, as you turned personalisation off/);
  });

  it('a request flag narrows consent but cannot widen it', async () => {
    await put('narrow-1', { consent: optIn });
    expect((await recommend('narrow-1', { personalization: false })).body.personalized).to.equal(false);
    await put('widen-1', { consent: { ...optIn, choice: 'opted-out' } });
    const widened = await recommend('widen-1', { personalization: true });
    expect(widened.body.personalized).to.equal(false);
    expect(widened.body.historyRead).to.equal(0);
  });

  it('serves Sec-GPC: 1 as do-not-target whatever the stored consent, and says so; other values are no signal', async () => {
    await put('gpc-1', { consent: optIn });
    const gpc = await recommend('gpc-1', {}, { 'sec-gpc': '1' });
    expect(gpc.body.personalized).to.equal(false);
    expect(gpc.body.choices).to.include({ globalPrivacyControl: true, consent: 'opted-in' });
    expect(gpc.body.items[0].reason).to.match(/Global Privacy Control/);
    const anonymous = await recommend(undefined, {}, { 'sec-gpc': '1' });
    expect(anonymous.body.personalized, 'without a shopperId too').to.equal(false);
    expect((await recommend('gpc-1', {}, { 'sec-gpc': '0' })).body.personalized).to.equal(true);
    expect((await recommend(undefined)).body.personalized, 'no shopper, no signal: the request flag').to.equal(true);
  });

  it('keeps every consent record in the history and audits each change under a reference, never the id or the pseudonym', async () => {
    const id = 'history-1';
    await put(id, { consent: optIn });
    await put(id, { consent: optIn, excludedBrands: ['X'] });
    now = new Date('2026-12-01T11:00:00.000Z');
    await put(id, { consent: { ...optIn, choice: 'opted-out', source: 'cookie-banner' } });
    const exported = (await serving.call('GET', `/v1/shoppers/${id}/data`)).body;
    expect(exported.consentHistory.map((r: { choice: string; source: string; time: string }) => [r.choice, r.source, r.time])).to.deep.equal([
      ['opted-in', 'app-settings', '2026-12-01T10:00:00.000Z'],
      ['opted-out', 'cookie-banner', '2026-12-01T11:00:00.000Z'],
    ]);
    const pseudonym = pseudonymize(key, id);
    const entries = await store.listAudit({ action: 'shopper.consent-changed' });
    const mine = entries.filter((e) => e.details.source === 'cookie-banner');
    expect(mine).to.have.length(1);
    expect(JSON.stringify(entries)).to.not.include(id);
    expect(JSON.stringify(entries)).to.not.include(pseudonym);
    expect(mine[0].actor).to.match(/^key_/);
    now = new Date('2026-12-01T10:00:00.000Z');
  });

  it('exports everything held (preferences, consent history, feedback, suppressions) and erases all of it: no table holds the pseudonym after', async () => {
    const id = 'erase-me@example.com';
    await put(id, { consent: optIn, excludedCategories: ['Dairy'] });
    const itemId = serving.world.catalog[5].id;
    expect((await serving.call('POST', '/v1/feedback', { shopperId: id, itemId, modelVersion: 1, kind: 'never-show' })).body).to.deep.equal({ recorded: true, suppressedUntil: null });
    expect((await serving.call('POST', '/v1/feedback', { shopperId: id, itemId, modelVersion: 1, kind: 'rating', rating: 2, recommendationId: 'rec-1' })).status).to.equal(200);
    const path = `/v1/shoppers/${encodeURIComponent(id)}`;
    const exported = (await serving.call('GET', `${path}/data`)).body;
    expect(exported.preferences).to.include({ consent: 'opted-in' });
    expect(exported.preferences.excludedCategories).to.deep.equal(['Dairy']);
    expect(exported.consentHistory).to.have.length(1);
    expect(exported.feedback.map((f: { kind: string; rating: number | null }) => [f.kind, f.rating])).to.deep.equal([['never-show', null], ['rating', 2]]);
    expect(exported.suppressions).to.deep.include.members([{ itemId, reason: 'never-show', until: null, createdAt: exported.suppressions[0].createdAt }]);
    expect(exported.experimentAssignments).to.deep.equal([]);

    const pseudonym = pseudonymize(key, id);
    const receipt = await serving.call('DELETE', path);
    expect(receipt.status).to.equal(200);
    expect(receipt.body.erased).to.deep.equal({ preferences: 1, consentRecords: 1, suppressions: 1, feedback: 2, experimentAssignments: 0, issuedRecommendations: 0, outcomeEvents: 0 });
    expect(receipt.body.total).to.equal(5);

    const db = new Database(file, { readonly: true });
    try {
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
      expect(tables).to.include.members(['shopper_preferences', 'shopper_consent_history', 'shopper_suppressions', 'shopper_feedback', 'audit_log']);
      for (const table of tables) {
        const rows = db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][];
        const hits = rows.filter((row) => row.some((v) => typeof v === 'string' && (v.includes(pseudonym) || v.includes(id))));
        expect(hits, `table ${table}`).to.deep.equal([]);
      }
    } finally {
      db.close();
    }
    const after = (await serving.call('GET', `${path}/data`)).body;
    expect(after).to.deep.include({ preferences: null, consentHistory: [], feedback: [], suppressions: [], experimentAssignments: [] });
    const [erasure] = await store.listAudit({ action: 'shopper.erased' });
    expect(erasure).to.deep.include({ target: 'shopper', details: { records: 5 } });
    expect((await recommend(id)).body.choices.consent, 'served as never asked again').to.equal('never-asked');
  });

  it('refuses feedback naming an unknown item or version, and a rating without its value, changing nothing', async () => {
    const bad = await serving.call('POST', '/v1/feedback', { shopperId: 'f-1', itemId: 'no-such-item', modelVersion: 99, kind: 'not-relevant' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).to.deep.equal(['body.itemId', 'body.modelVersion']);
    expect((await serving.call('POST', '/v1/feedback', { itemId: serving.world.catalog[0].id, modelVersion: 1, kind: 'rating' })).status).to.equal(400);
    expect((await serving.call('POST', '/v1/feedback', { itemId: serving.world.catalog[0].id, modelVersion: 1, kind: 'never-show', rating: 3 })).status).to.equal(400);
    expect((await serving.call('GET', '/v1/shoppers/f-1/data')).body.feedback).to.deep.equal([]);
  });

  it('keeps never-show suppressed across a model-version change, and not-relevant for its days only', async () => {
    const id = 'suppress-1';
    await put(id, { consent: optIn });
    const first = (await recommend(id)).body;
    const [never, notRelevant] = [first.items[0].itemId, first.items[1].itemId];
    await serving.call('POST', '/v1/feedback', { shopperId: id, itemId: never, modelVersion: first.modelVersion, kind: 'never-show' });
    const answered = (await serving.call('POST', '/v1/feedback', { shopperId: id, itemId: notRelevant, modelVersion: first.modelVersion, kind: 'not-relevant' })).body;
    expect(answered.suppressedUntil).to.equal('2026-12-31T10:00:00.000Z');
    serving.servedModel.release(2, activeWeights(serving.world, 29, 2));
    const next = (await recommend(id, { k: 100 })).body;
    expect(next.modelVersion).to.equal(2);
    const ids = next.items.map((i: { itemId: string }) => i.itemId);
    expect(ids).to.not.include(never);
    expect(ids).to.not.include(notRelevant);
    expect(next.choices.suppressedItems).to.equal(2);
    // The same request without the shopper: the same ranking, with the two items in it.
    const anonymous = (await recommend(undefined, { k: 100 })).body.items.map((i: { itemId: string }) => i.itemId);
    expect(anonymous.filter((i: string) => i !== never && i !== notRelevant).slice(0, 90)).to.deep.equal(ids.slice(0, 90));
    now = new Date('2027-01-01T10:00:00.000Z');
    const later = (await recommend(id, { k: 100 })).body.items.map((i: { itemId: string }) => i.itemId);
    expect(later).to.not.include(never);
    expect(later.slice(0, 99), 'not-relevant ended after 30 days: only never-show is left out').to.deep.equal(anonymous.filter((i: string) => i !== never).slice(0, 99));
    expect((await recommend(id, { k: 100 })).body.choices.suppressedItems).to.equal(1);
    now = new Date('2026-12-01T10:00:00.000Z');
  });
});
