import { expect } from 'chai';
import { newcombeDifference, studentTQuantile, welchDifference, wilsonInterval } from './interval-estimates.ts';

describe('interval estimates against published values', () => {
  it('Wilson: Newcombe 1998 (Part I, Table I) gives 0.2553–0.3662 for 81/263 and 0–0.2775 for 0/10', () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).to.be.closeTo(0.2553, 5e-5);
    expect(a.high).to.be.closeTo(0.3662, 5e-5);
    const b = wilsonInterval(0, 10);
    expect(b.low).to.equal(0);
    expect(b.high).to.be.closeTo(0.2775, 5e-5);
  });

  it('Newcombe hybrid score: Newcombe 1998 (Part II, Table II, method 10) gives 0.0524 to 0.3339 for 56/70 − 48/80, and 0.1705 to 0.8090 for 9/10 − 3/10', () => {
    const d = newcombeDifference(56, 70, 48, 80);
    expect(d.difference).to.be.closeTo(0.2, 1e-12);
    expect(d.low).to.be.closeTo(0.0524, 5e-5);
    expect(d.high).to.be.closeTo(0.3339, 5e-5);
    const e = newcombeDifference(9, 10, 3, 10);
    expect(e.low).to.be.closeTo(0.1705, 5e-5);
    expect(e.high).to.be.closeTo(0.809, 5e-5);
  });

  it('Student t quantiles match the tables (0.975: 12.706 at 1 df, 4.303 at 2, 2.228 at 10, 1.960 at ∞)', () => {
    expect(studentTQuantile(0.975, 1)).to.be.closeTo(12.7062, 5e-4);
    expect(studentTQuantile(0.975, 2)).to.be.closeTo(4.3027, 5e-4);
    expect(studentTQuantile(0.975, 10)).to.be.closeTo(2.2281, 5e-4);
    expect(studentTQuantile(0.975, 1e7)).to.be.closeTo(1.96, 5e-4);
    expect(studentTQuantile(0.025, 10)).to.be.closeTo(-2.2281, 5e-4);
  });

  it('Welch: equal variances and sizes give the pooled df 2(n − 1); no variance gives no interval', () => {
    const w = welchDifference({ n: 10, mean: 5, variance: 4 }, { n: 10, mean: 3, variance: 4 });
    expect(w.df).to.be.closeTo(18, 1e-12);
    expect(w.interval!.high - w.difference).to.be.closeTo(studentTQuantile(0.975, 18) * Math.sqrt(0.8), 1e-12);
    expect(welchDifference({ n: 3, mean: 1, variance: 0 }, { n: 3, mean: 1, variance: 0 }).interval).to.equal(null);
  });
});
