/**
 * The uplift report against figures computed by hand in this file, independently of the server's
 * code: on a scripted stream of impressions, clicks and purchases (and pre-period purchases for
 * CUPED) over HTTP on a SQLite file, every group figure, Wilson interval, Newcombe difference,
 * Welch difference (its t quantile found here by integrating the t density in θ = atan(t/√ν) with
 * Simpson's rule, no gamma function) and the CUPED estimate equal the report's.
 */
import { expect } from 'chai';
import { startMeasured, type Measured } from './measurement-harness.ts';

const z = 1.959963984540054;

function wilson(s: number, n: number) {
  const p = s / n;
  const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const h = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, c - h), high: Math.min(1, c + h) };
}

function newcombe(s1: number, n1: number, s2: number, n2: number) {
  const [p1, p2, a, b] = [s1 / n1, s2 / n2, wilson(s1, n1), wilson(s2, n2)];
  return { difference: p1 - p2, low: p1 - p2 - Math.hypot(p1 - a.low, b.high - p2), high: p1 - p2 + Math.hypot(a.high - p1, p2 - b.low) };
}

/** ∫ cos^(ν−1) θ dθ over [0, upper], Simpson with 4,000 panels. */
function cosPower(nu: number, upper: number): number {
  const n = 4000;
  const h = upper / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.cos(i * h) ** (nu - 1);
  return (sum * h) / 3;
}

function tQuantile975(nu: number): number {
  const half = cosPower(nu, Math.PI / 2);
  let [low, high] = [0, 200];
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (cosPower(nu, Math.atan(mid / Math.sqrt(nu))) / half < 0.95) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1);

function welch(a: number[], b: number[]) {
  const [va, vb] = [variance(a) / a.length, variance(b) / b.length];
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const d = mean(a) - mean(b);
  const t = tQuantile975(df);
  return { difference: d, low: d - t * se, high: d + t * se, df };
}

function expectClose(actual: Record<string, number | null>, expected: Record<string, number>, label: string, tolerance = 1e-9) {
  for (const [k, v] of Object.entries(expected)) expect(actual[k], `${label}.${k}`).to.be.closeTo(v, tolerance * Math.max(1, Math.abs(v)));
}

describe('uplift report against hand-computed figures (HTTP, SQLite file)', () => {
  let m: Measured;
  before(async () => {
    m = await startMeasured({ minCohort: 3 });
  });
  after(() => m.close());

  it('matches every figure: groups, Wilson, Newcombe, Welch and CUPED', async () => {
    expect((await m.serving.call('PUT', '/v1/measurement/settings', { holdoutShare: 0.5 })).status).to.equal(200);
    const price = new Map(m.serving.world.catalog.map((i) => [i.id, i.price]));
    const today = '2026-12-10T12:00:00.000Z';
    const yesterday = '2026-12-09T10:00:00.000Z';
    const shoppers: { group: string; revenue: number; pre: number; bought: boolean; impressions: number; clicks: number }[] = [];
    for (let n = 0; n < 24; n++) {
      const id = `s-${n}`;
      await m.optIn(id);
      const rec = (await m.serving.call('POST', '/v1/recommendations', m.request(id, n))).body;
      const group: string = rec.experiment.group;
      const shown = rec.items.slice(0, 4).map((i: { itemId: string }, k: number) => ({ itemId: i.itemId, position: k + 1 }));
      const events: Record<string, unknown>[] = [{ kind: 'impression', eventId: `i${n}`, shopperId: id, recommendationId: rec.recommendationId, items: shown, time: today }];
      let clicks = 0;
      if (n % 3 === 0) (events.push({ kind: 'click', eventId: `c${n}`, shopperId: id, itemId: shown[0].itemId, recommendationId: rec.recommendationId, time: today }), clicks++);
      // A click on nothing recommended is not click-through.
      if (n % 7 === 0) events.push({ kind: 'click', eventId: `b${n}`, shopperId: id, itemId: m.serving.world.catalog[n].id, time: today });
      let revenue = 0;
      const buys = group === 'treatment' ? n % 2 === 0 : n % 4 === 0;
      if (buys) {
        const quantity = 1 + (n % 3);
        const value = Math.round(price.get(shown[1].itemId)! * quantity * 100) / 100 - 0.01 * (n % 2);
        revenue += value;
        events.push({ kind: 'purchase', eventId: `p${n}`, shopperId: id, itemId: shown[1].itemId, value, quantity, currency: 'EUR', recommendationId: rec.recommendationId, time: today });
      }
      let pre = 0;
      if (n % 5 !== 0) {
        const item = m.serving.world.catalog[(7 * n) % 200];
        pre = Math.round(item.price * (1 + (n % 2)) * 100) / 100;
        events.push({ kind: 'purchase', eventId: `q${n}`, shopperId: id, itemId: item.id, value: pre, quantity: 1 + (n % 2), currency: 'EUR', time: yesterday });
      }
      const { status, body } = await m.serving.call('POST', '/v1/events', { events });
      expect(status, JSON.stringify(body)).to.equal(200);
      shoppers.push({ group, revenue, pre, bought: buys, impressions: shown.length, clicks });
    }
    const t = shoppers.filter((s) => s.group === 'treatment');
    const h = shoppers.filter((s) => s.group === 'holdout');
    expect(t.length, 'groups of at least 3 (else rerun: the salt is random)').to.be.at.least(3);
    expect(h.length).to.be.at.least(3);

    const { status, body } = await m.serving.call('GET', '/v1/reports/uplift?from=2026-12-10&to=2026-12-10');
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body).to.deep.include({ withheld: false, noised: false, currency: 'EUR', period: { fromDay: '2026-12-10', toDay: '2026-12-10' }, prePeriod: { fromDay: '2026-12-09', toDay: '2026-12-09' } });
    for (const [name, g] of [['treatment', t], ['holdout', h]] as const) {
      const converted = g.filter((s) => s.bought).length;
      const impressions = g.reduce((a, s) => a + s.impressions, 0);
      const clicks = g.reduce((a, s) => a + s.clicks, 0);
      const figures = body.groups[name];
      expect(figures).to.include({ shoppers: g.length, converted, impressions, clicks });
      expectClose(figures, { conversionRate: converted / g.length, revenuePerShopper: mean(g.map((s) => s.revenue)), clickThrough: clicks / impressions }, name);
      expectClose(figures.conversionInterval, wilson(converted, g.length), `${name}.conversionInterval`);
      expectClose(figures.clickThroughInterval, wilson(clicks, impressions), `${name}.clickThroughInterval`);
    }
    const count = (g: typeof t, pick: (s: (typeof t)[number]) => number) => g.reduce((a, s) => a + pick(s), 0);
    expectClose(body.difference.conversionRate, newcombe(count(t, (s) => +s.bought), t.length, count(h, (s) => +s.bought), h.length), 'conversion');
    expectClose(body.difference.clickThrough, newcombe(count(t, (s) => s.clicks), count(t, (s) => s.impressions), count(h, (s) => s.clicks), count(h, (s) => s.impressions)), 'clickThrough');
    expectClose(body.difference.revenuePerShopper, welch(t.map((s) => s.revenue), h.map((s) => s.revenue)), 'revenue', 1e-7);

    // CUPED by hand: θ = cov(Y, X) / var(X) over everyone, Y' = Y − θ (X − X̄).
    const all = [...t, ...h];
    const [xBar, yBar] = [mean(all.map((s) => s.pre)), mean(all.map((s) => s.revenue))];
    const cov = all.reduce((a, s) => a + (s.pre - xBar) * (s.revenue - yBar), 0) / (all.length - 1);
    const theta = cov / variance(all.map((s) => s.pre));
    const rho = cov / Math.sqrt(variance(all.map((s) => s.pre)) * variance(all.map((s) => s.revenue)));
    const adjusted = (g: typeof t) => g.map((s) => s.revenue - theta * (s.pre - xBar));
    expectClose(body.cuped, { theta, correlation: rho, varianceRatio: 1 - rho * rho, varianceReduction: rho * rho }, 'cuped');
    expectClose(body.cuped.revenuePerShopper, welch(adjusted(t), adjusted(h)), 'cuped.revenue', 1e-7);
  });

  it('refuses a period that is not one: a day off the calendar, from after to, over 366 days (400, nothing computed)', async () => {
    for (const query of ['to=0000-00-00', 'from=2026-02-30', 'from=2026-12-10&to=2026-12-09', 'from=12/10/2026', 'from=2024-01-01&to=2026-12-10', 'from=1970-01-01']) {
      for (const report of ['uplift', 'fairness', 'scorecard']) expect((await m.serving.call('GET', `/v1/reports/${report}?${query}`)).status, `${report}?${query}`).to.equal(400);
    }
  });

  it('withholds the differences when a group is under the minimum cohort', async () => {
    const { body } = await m.serving.call('GET', '/v1/reports/uplift?from=2026-12-11&to=2026-12-11');
    expect(body).to.include({ withheld: true });
    expect(body.reason).to.match(/fewer than 3 shoppers/);
    expect(body.difference).to.equal(undefined);
  });
});
