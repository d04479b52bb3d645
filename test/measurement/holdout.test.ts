/**
 * The holdout over HTTP on a SQLite file: each named shopper's group is the keyed hash of their
 * pseudonym against the share in force when first served (computed here from the stored salt and
 * the key, independently of the server's code), it survives a restart and does not depend on the
 * order shoppers arrive in, holdout shoppers are served the non-personalised ranking with a reason
 * that says why, and a change of share is audited and moves no one already assigned.
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { startMeasured, type Measured } from './measurement-harness.ts';

const hmac = (key: Buffer, value: string) => createHmac('sha256', key).update(value, 'utf8').digest();

describe('holdout assignment over HTTP on a SQLite file', () => {
  let m: Measured;
  beforeEach(async () => {
    m = await startMeasured();
  });
  afterEach(() => m.close());

  const serve = async (id: string, n: number) => {
    const { status, body } = await m.serving.call('POST', '/v1/recommendations', m.request(id, n));
    expect(status, JSON.stringify(body)).to.equal(200);
    return body;
  };
  const expectedGroup = async (id: string, share: number) => {
    const salt = Buffer.from((await m.serving.store.getSetting('holdout-salt')) as string, 'hex');
    const pseudonym = hmac(m.key.keys[0], id).toString('hex');
    return hmac(salt, pseudonym).readUIntBE(0, 6) / 2 ** 48 < share ? 'holdout' : 'treatment';
  };

  it('assigns by the keyed hash at the share in force, stably across a restart and in any order; holdout shoppers get the non-personalised ranking, saying why', async () => {
    expect((await m.serving.call('PUT', '/v1/measurement/settings', { holdoutShare: 0.3 })).status).to.equal(200);
    const ids = Array.from({ length: 30 }, (_, n) => `shopper-${n}`);
    for (const id of ids) await m.optIn(id);
    const first = new Map<string, string>();
    const recommendationIds = new Set<string>();
    for (const [n, id] of ids.entries()) {
      const body = await serve(id, n);
      first.set(id, body.experiment.group);
      recommendationIds.add(body.recommendationId);
      expect(body.experiment.group).to.equal(await expectedGroup(id, 0.3));
      if (body.experiment.group === 'holdout') {
        expect(body.personalized).to.equal(false);
        for (const item of body.items) expect(item.reason).to.match(/comparison group/);
      } else expect(body.personalized).to.equal(true);
    }
    expect(recommendationIds.size).to.equal(ids.length);
    const groups = [...first.values()];
    expect(groups.filter((g) => g === 'holdout').length, 'both groups occur at share 0.3').to.be.within(1, 29);

    await m.restart();
    for (const [n, id] of [...ids.entries()].reverse()) expect((await serve(id, n)).experiment.group, id).to.equal(first.get(id));

    // A new share moves no one assigned; new shoppers are drawn at the new share.
    expect((await m.serving.call('PUT', '/v1/measurement/settings', { holdoutShare: 0 })).status).to.equal(200);
    for (const [n, id] of ids.entries()) expect((await serve(id, n)).experiment.group).to.equal(first.get(id));
    for (let n = 30; n < 40; n++) expect((await serve(`late-${n}`, n)).experiment.group).to.equal('treatment');
    const [change] = (await m.serving.store.listAudit({ action: 'measurement.settings-changed' })).slice(-1);
    expect(change.details).to.deep.include({ after: { holdoutShare: 0, retentionDays: 90, currency: 'EUR' } });
    expect((change.details.before as { holdoutShare: number }).holdoutShare).to.equal(0.3);
    const stored = await m.serving.store.listHoldoutAssignments();
    expect(stored.filter((a) => a.share === 0.3)).to.have.length(30);
  });

  it('gives an anonymous request a recommendation id and no group, and refuses a share above one half', async () => {
    const { shopperId: _, ...anonymous } = m.request('x', 1);
    const { body } = await m.serving.call('POST', '/v1/recommendations', anonymous);
    expect(body.recommendationId).to.match(/^rec_[0-9a-f]{32}$/);
    expect(body.experiment).to.deep.equal({ group: null });
    const refused = await m.serving.call('PUT', '/v1/measurement/settings', { holdoutShare: 0.9 });
    expect(refused.status).to.equal(400);
    expect(await m.serving.store.listHoldoutAssignments()).to.deep.equal([]);
  });
});
