/**
 * POST /v1/events over HTTP on a SQLite file: events are checked against what the server knows
 * (its catalogue, the recommendations it issued and to whom, the item at each position, its clock,
 * its currency, the list price), a batch with any problem is refused whole with every issue and
 * stores nothing, a retried batch is stored once, retention purges what is older than the window,
 * and erasure removes a shopper's events.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { pseudonymize } from '../../server/shoppers/index.ts';
import { startMeasured, type Measured } from './measurement-harness.ts';

describe('outcome events over HTTP on a SQLite file', () => {
  let m: Measured;
  beforeEach(async () => {
    m = await startMeasured();
  });
  afterEach(() => m.close());

  const served = async (id: string, n: number) => (await m.serving.call('POST', '/v1/recommendations', m.request(id, n))).body;
  const at = () => m.clock.now.toISOString();

  it('stores impressions, clicks and purchases with the server’s group and version, once per event id', async () => {
    const rec = await served('alice', 1);
    const item = rec.items[0];
    const price = m.serving.world.catalog.find((i) => i.id === item.itemId)!.price;
    const events = [
      { kind: 'impression', eventId: 'imp-1', shopperId: 'alice', recommendationId: rec.recommendationId, items: rec.items.slice(0, 3).map((i: { itemId: string }, k: number) => ({ itemId: i.itemId, position: k + 1 })), time: at() },
      { kind: 'click', eventId: 'clk-1', shopperId: 'alice', itemId: item.itemId, recommendationId: rec.recommendationId, time: at() },
      { kind: 'purchase', eventId: 'buy-1', shopperId: 'alice', itemId: item.itemId, value: price * 2, quantity: 2, currency: 'EUR', recommendationId: rec.recommendationId, time: at() },
    ];
    const first = await m.serving.call('POST', '/v1/events', { events });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.deep.equal({ received: 3, stored: 5, duplicates: 0 });
    expect((await m.serving.call('POST', '/v1/events', { events })).body).to.deep.equal({ received: 3, stored: 0, duplicates: 5 });
    const stored = await m.serving.store.listOutcomeEvents();
    expect(stored).to.have.length(5);
    for (const e of stored) expect(e).to.include({ pseudonym: pseudonymize(m.key, 'alice'), group: rec.experiment.group, modelVersion: 1 });
  });

  it('refuses a batch naming what the server does not know, listing every problem, and stores nothing of it', async () => {
    const rec = await served('alice', 1);
    const other = await served('bob', 2);
    const { itemId } = rec.items[0];
    const price = m.serving.world.catalog.find((i) => i.id === itemId)!.price;
    const future = new Date(m.clock.now.getTime() + 3_600_000).toISOString();
    const events = [
      { kind: 'impression', eventId: 'a', shopperId: 'alice', recommendationId: 'rec_00000000000000000000000000000000', items: [{ itemId, position: 1 }], time: at() },
      { kind: 'impression', eventId: 'b', shopperId: 'alice', recommendationId: other.recommendationId, items: [{ itemId: other.items[0].itemId, position: 1 }], time: at() },
      { kind: 'impression', eventId: 'c', shopperId: 'alice', recommendationId: rec.recommendationId, items: [{ itemId: rec.items[1].itemId, position: 1 }], time: at() },
      { kind: 'click', eventId: 'd', shopperId: 'alice', itemId: 'no-such-item', time: at() },
      { kind: 'click', eventId: 'e', shopperId: 'alice', itemId, time: future },
      { kind: 'purchase', eventId: 'f', shopperId: 'alice', itemId, value: price, currency: 'USD', time: at() },
      { kind: 'purchase', eventId: 'g', shopperId: 'alice', itemId, value: price * 3, time: at(), currency: 'EUR' },
      { kind: 'impression', eventId: 'h', shopperId: 'alice', recommendationId: rec.recommendationId, items: [{ itemId, position: 1 }], time: new Date(m.clock.now.getTime() - 91 * 86_400_000).toISOString() },
    ];
    const { status, body } = await m.serving.call('POST', '/v1/events', { events });
    expect(status).to.equal(400);
    const messages = body.error.issues.map((i: { path: (string | number)[]; message: string }) => `${i.path.slice(2).join('.')}: ${i.message}`);
    expect(messages).to.have.members([
      '0.recommendationId: not a recommendation this server issued to this shopper',
      '1.recommendationId: not a recommendation this server issued to this shopper',
      `2.items.0: item "${rec.items[1].itemId}" was not at position 1 of that recommendation`,
      '3.itemId: no catalogue item "no-such-item"',
      '4.time: is in the future by the server’s clock',
      '5.currency: this deployment reports in EUR',
      `6.value: is more than the list price × quantity (${price.toFixed(2)})`,
      '7.time: is older than the 90-day retention window',
      '7.time: is before the recommendation was issued',
    ]);
    expect(await m.serving.store.listOutcomeEvents()).to.deep.equal([]);
    // Shape errors are zod's, before any lookup: over-long batches, unknown kinds, extra fields.
    const tooMany = Array.from({ length: 501 }, (_, n) => ({ kind: 'click', eventId: `x${n}`, shopperId: 'alice', itemId, time: at() }));
    expect((await m.serving.call('POST', '/v1/events', { events: tooMany })).status).to.equal(400);
    expect((await m.serving.call('POST', '/v1/events', { events: [{ kind: 'refund', eventId: 'z', shopperId: 'alice', itemId, time: at() }] })).status).to.equal(400);
    expect((await m.serving.call('POST', '/v1/events', { events: [{ kind: 'click', eventId: 'z', shopperId: 'alice', itemId, time: at(), group: 'treatment' }] })).status).to.equal(400);
    expect((await m.serving.call('POST', '/v1/events', { events: [{ kind: 'purchase', eventId: 'z', shopperId: 'alice', itemId, value: -1, currency: 'EUR', time: at() }] })).status).to.equal(400);
    expect(await m.serving.store.listOutcomeEvents()).to.deep.equal([]);
  });

  it('purges events older than the retention window, and only those', async () => {
    const rec = await served('alice', 1);
    const impression = (eventId: string) => ({ kind: 'impression', eventId, shopperId: 'alice', recommendationId: rec.recommendationId, items: [{ itemId: rec.items[0].itemId, position: 1 }], time: at() });
    expect((await m.serving.call('POST', '/v1/events', { events: [impression('old')] })).status).to.equal(200);
    m.clock.now = new Date(m.clock.now.getTime() + 60 * 86_400_000);
    const later = await served('alice', 1);
    expect((await m.serving.call('POST', '/v1/events', { events: [{ ...impression('new'), recommendationId: later.recommendationId, items: [{ itemId: later.items[0].itemId, position: 1 }] }] })).status).to.equal(200);
    expect((await m.serving.call('POST', '/v1/measurement/retention')).body).to.include({ events: 0, recommendations: 0, retentionDays: 90 });
    m.clock.now = new Date(m.clock.now.getTime() + 31 * 86_400_000);
    const purged = await m.serving.call('POST', '/v1/measurement/retention');
    expect(purged.body).to.include({ events: 1, recommendations: 1 });
    expect((await m.serving.store.listOutcomeEvents()).map((e) => e.eventId)).to.deep.equal(['new']);
    expect((await m.serving.store.listAudit({ action: 'measurement.purged' }))[0].details).to.include({ events: 1, recommendations: 1, retentionDays: 90 });
    // A shorter window is an audited admin setting, and purges by it.
    expect((await m.serving.call('PUT', '/v1/measurement/settings', { retentionDays: 7 })).status).to.equal(200);
    expect((await m.serving.call('POST', '/v1/measurement/retention')).body).to.include({ events: 1, recommendations: 1 });
    expect(await m.serving.store.listOutcomeEvents()).to.deep.equal([]);
  });

  it('erasure removes the shopper’s events, assignment and issued recommendations, and no table holds the pseudonym after', async () => {
    const rec = await served('alice', 1);
    await served('bob', 2);
    const events = [
      { kind: 'impression', eventId: 'i', shopperId: 'alice', recommendationId: rec.recommendationId, items: [{ itemId: rec.items[0].itemId, position: 1 }, { itemId: rec.items[1].itemId, position: 2 }], time: at() },
      { kind: 'click', eventId: 'c', shopperId: 'bob', itemId: rec.items[0].itemId, time: at() },
    ];
    expect((await m.serving.call('POST', '/v1/events', { events })).status).to.equal(200);
    const exported = (await m.serving.call('GET', '/v1/shoppers/alice/data')).body;
    expect(exported.outcomeEvents).to.have.length(2);
    expect(exported.experimentAssignments).to.have.length(1);
    const receipt = await m.serving.call('DELETE', '/v1/shoppers/alice');
    expect(receipt.body.erased).to.include({ outcomeEvents: 2, experimentAssignments: 1, issuedRecommendations: 1 });
    const pseudonym = pseudonymize(m.key, 'alice');
    expect((await m.serving.store.listOutcomeEvents()).map((e) => e.pseudonym)).to.deep.equal([pseudonymize(m.key, 'bob')]);
    await m.serving.close();
    await m.serving.store.close();
    const db = new Database(m.file, { readonly: true });
    try {
      for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all()) {
        const rows = db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][];
        expect(rows.filter((row) => row.some((v) => typeof v === 'string' && v.includes(pseudonym))), name).to.deep.equal([]);
      }
    } finally {
      db.close();
    }
  });
});
