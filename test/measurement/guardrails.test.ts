/**
 * Guardrails over HTTP on a SQLite file with the whole server (`startFedrecServer`): an admin sets
 * a complaint-rate guardrail against the holdout (audited); a scripted event stream where
 * personalised shoppers complain and holdout shoppers do not crosses it; the on-demand check kills
 * the serving version, the next request is served by the fallback version, and the audit log says
 * which guardrail fired and with which figures. Then the server's own schedule fires it again on
 * the fallback, and serving falls back to the store ranking.
 */
import { expect } from 'chai';
import { startFedrecServer } from '../../server/host/start-fedrec-server.ts';
import { startGoverned, type Governed } from '../governance/governance-harness.ts';

describe('guardrails over HTTP on a SQLite file', () => {
  let g: Governed;
  before(async () => {
    g = await startGoverned();
  });
  after(() => g.close());

  const recommend = async (id: string, n: number) => {
    const shopper = g.world.shoppers[n];
    const body = { shopperId: id, history: shopper.items.slice(-6).map((i) => ({ itemId: g.world.catalog[i].id })), context: { storeId: g.world.stores[shopper.store].id }, personalization: true, k: 5 };
    const { status, body: rec } = await g.call('POST', '/v1/recommendations', g.keys.app, body);
    expect(status, JSON.stringify(rec)).to.equal(200);
    return rec;
  };
  /** Every shopper sees five items; personalised (treatment) shoppers complain about one, holdout shoppers never. */
  /** `scheduled`: the server's own check may kill the version mid-stream, so what serves is not asserted. */
  const stream = async (prefix: string, version: number, scheduled = false) => {
    const counts = { treatment: 0, holdout: 0 };
    for (let n = 0; n < 16; n++) {
      const id = `${prefix}-${n}`;
      const rec = await recommend(id, n);
      if (!scheduled) expect(rec.modelVersion).to.equal(version);
      counts[rec.experiment.group as 'treatment' | 'holdout']++;
      const time = new Date().toISOString();
      const items = rec.items.map((i: { itemId: string }, k: number) => ({ itemId: i.itemId, position: k + 1 }));
      expect((await g.call('POST', '/v1/events', g.keys.app, { events: [{ kind: 'impression', eventId: `${id}-i`, shopperId: id, recommendationId: rec.recommendationId, items, time }] })).status).to.equal(200);
      if (rec.experiment.group === 'treatment' && rec.modelVersion === version) expect((await g.call('POST', '/v1/feedback', g.keys.app, { shopperId: id, itemId: rec.items[0].itemId, modelVersion: version, recommendationId: rec.recommendationId, kind: 'never-show' })).status).to.equal(200);
    }
    return counts;
  };

  it('kills the serving version when personalised shoppers complain above the holdout, serves the fallback, and audits why', async () => {
    for (const v of [2, 3]) expect((await g.call('POST', `/v1/models/${v}/approve`, g.keys.approver, { reason: 'fit to serve' })).status).to.equal(200);
    expect((await g.call('PUT', '/v1/measurement/settings', g.keys.admin, { holdoutShare: 0.5 })).status).to.equal(200);
    const guardrails = { guardrails: [{ name: 'complaints vs holdout', metric: 'complaint-rate', windowDays: 7, baseline: 'holdout', maxExcess: 50, minBase: 10 }, { name: 'opt-outs vs previous model', metric: 'opt-out-rate', baseline: 'previous-model', maxExcess: 0.05 }] };
    expect((await g.call('PUT', '/v1/guardrails', g.keys.engineer, guardrails)).status).to.equal(403);
    expect((await g.call('PUT', '/v1/guardrails', g.keys.admin, { guardrails: [{ name: 'x', metric: 'complaint-rate', baseline: 'holdout', maxExcess: -1 }] })).status).to.equal(400);
    expect((await g.call('PUT', '/v1/guardrails', g.keys.admin, guardrails)).status).to.equal(200);
    expect((await g.store.listAudit({ action: 'guardrails.changed' }))[0].details).to.deep.include({ checkEveryMinutes: 15 });

    const quiet = await g.call('POST', '/v1/guardrails/check', g.keys.approver);
    expect(quiet.body.killed).to.equal(null);
    expect(quiet.body.results[0]).to.include({ crossed: false, reason: 'fewer than 10 impressions on a side' });

    const counts = await stream('a', 3);
    expect(counts.treatment * 5, 'treatment impressions').to.be.at.least(10);
    expect(counts.holdout * 5, 'holdout impressions').to.be.at.least(10);
    const { status, body } = await g.call('POST', '/v1/guardrails/check', g.keys.approver);
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body.killed).to.deep.equal({ version: 3, guardrail: 'complaints vs holdout', servingNow: 2 });
    const fired = body.results[0];
    expect(fired).to.deep.include({ crossed: true, servingVersion: 3, subject: { count: counts.treatment, base: 5 * counts.treatment, rate: 200 }, compared: { count: 0, base: 5 * counts.holdout, rate: 0 }, excess: 200 });
    expect(body.results[1]).to.include({ crossed: false });

    // The next request is served by the fallback.
    expect((await recommend('after', 1)).modelVersion).to.equal(2);
    const [firedEntry] = await g.store.listAudit({ action: 'guardrail.fired' });
    expect(firedEntry).to.deep.include({ actor: 'system', target: '3' });
    expect(firedEntry.details).to.deep.include({ guardrail: 'complaints vs holdout' });
    expect((firedEntry.details.figures as { subject: { rate: number } }).subject.rate).to.equal(200);
    const [killEntry] = await g.store.listAudit({ action: 'model.killed' });
    expect(killEntry.details).to.deep.include({ servingNow: 2 });
    expect(killEntry.details.reason).to.match(/^guardrail "complaints vs holdout": complaint-rate of model version 3 200\.00 per 1,000 impressions/);
    const models = (await g.call('GET', '/v1/models', g.keys.approver)).body.models;
    expect(models.find((m: { version: number }) => m.version === 3).kill.reason).to.equal(killEntry.details.reason);
  });

  it('fires on the server’s own schedule too: the fallback is killed and the store ranking serves', async () => {
    await g.server.close();
    const server = await startFedrecServer({ store: g.store, port: 0, log: () => {}, env: {}, guardrailCheckMs: 100 });
    Object.assign(g, { server, url: server.url });
    await stream('b', 2, true);
    const deadline = Date.now() + 20_000;
    while ((await g.store.listAudit({ action: 'guardrail.fired' })).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const entries = await g.store.listAudit({ action: 'guardrail.fired' });
    expect(entries.map((e) => e.target)).to.deep.equal(['3', '2']);
    const rec = await recommend('later', 2);
    expect(rec).to.include({ servedBy: 'store-ranking', modelVersion: null });
  });
});
