import { expect } from 'chai';
import fc from 'fast-check';
import { FedrecError } from '../errors/index.ts';
import { expectClose } from './expect-close.ts';
import { sampledGaussianRdp, sampledGaussianRdpCurve } from './sampled-gaussian-rdp.ts';

/**
 * Single-step RDP references, [q, σ, α, reference, precise]:
 * - reference: pytorch/opacus opacus/accountants/analysis/rdp.py `_compute_rdp` (commit 2f4b546)
 *   and tensorflow/privacy tensorflow_privacy/privacy/analysis/rdp_accountant.py `_compute_rdp`
 *   (commit 385fefc), ported line for line to Python 3 with numpy dropped and scipy.special's
 *   binom / gammaln / log_ndtr replaced by mpmath at 40 digits. The two agree to the last digit
 *   except at (1e-6, 1, 27), where they differ by 2e-9 relative (Opacus' is listed).
 * - precise: 60-digit mpmath. Integer α: the exact finite sum Σ C(α,i)(1−q)^{α−i} q^i e^{(i²−i)/(2σ²)}.
 *   Fractional α: quad of E_{N(0,σ²)}[((1−q) + q e^{(2z−1)/(2σ²)})^α] with breakpoints at 0, ½, 1,
 *   z₀ and around the far peak z = ασ² (it matches the exact sums of the integer rows to 1e-50,
 *   except at σ = 0.1, α ≈ 256, where it is off by 2e-7, so that row has none).
 * Scripts (run once by hand, values pasted): /tmp/privacy-ref/run_rdp_points.py, run_mp_reference.py.
 * Against the precise values the references are off by up to 9e-7 relative at tiny q (their
 * e^−30 series cut-off and the cancellation in summing A_α ≈ 1 + 1e-9 directly); we are within 1e-7.
 */
const REFERENCE_RDP: [number, number, number, number, number | null][] = [
  // fractional orders: the two-series expansion
  [0.01, 1.1, 1.5, 9.554528557684942e-5, 9.5545285718748299e-5],
  [0.01, 1.1, 7.3, 0.0005231749305778287, 0.00052317493058230401],
  [0.1, 0.7, 2.5, 0.11914412563869671, 0.11914412563866516],
  [0.001, 0.8, 10.9, 0.9103402752915216, 0.91034027529152306],
  [0.05, 2.0, 3.7, 0.0013466984243486091, 0.0013466984243401398],
  [0.5, 1.0, 1.1, 0.15613047568381097, 0.15613047568549298],
  [0.2, 3.0, 30.5, 0.23610654489565505, 0.23610654489565489],
  [1e-7, 0.1, 1.01, 4.003413624853312e-6, 4.003412322526395e-6],
  [1e-4, 1.0, 1.5, 1.2885374660324462e-8, 1.2885373907673299e-8],
  [0.1, 100, 20.5, 1.0252214593895916e-5, 1.0252214593881178e-5],
  [0.999, 100, 256.1, 0.012779725746660574, 0.012779725746660574],
  [1e-5, 0.1, 256.1, 12793.441943506157, null],
  // integer orders: the binomial expansion
  [0.01, 1.1, 2, 0.00012851008160514807, 0.0001285100816051618],
  [0.1, 0.7, 20, 17.98438948320713, 17.98438948320713],
  [0.05, 2.0, 63, 4.830953046176566, 4.8309530461765661],
  [0.001, 1.0, 2, 1.7182803522123342e-6, 1.7182803522145154e-6],
  [0.01, 10, 20, 1.0068263112015229e-5, 1.0068263112022612e-5],
  [1e-6, 1, 27, 3.372885977304972e-11, 3.3728889634032684e-11],
  [0.99, 0.1, 256, 12799.989910251063, 12799.989910251063],
];

describe('sampledGaussianRdp', () => {
  it('agrees with Opacus / TF Privacy and with 60-digit values, at fractional and integer orders', () => {
    for (const [q, sigma, order, reference, precise] of REFERENCE_RDP) {
      const rdp = sampledGaussianRdp({ q, sigma }, order);
      const label = `RDP(q=${q}, σ=${sigma}, α=${order})`;
      // Against the references: 1e-9 relative, but 1e-6 at q < 1e-3 where they are off by up to 9e-7.
      expectClose(rdp, reference, { relative: q < 1e-3 ? 1e-6 : 1e-9, label: `${label} vs Opacus/TF` });
      // Our series cut-off bounds the error by 1e-7 relative (sampled-gaussian-rdp.ts).
      if (precise !== null) expectClose(rdp, precise, { relative: 1e-7, label: `${label} vs 60-digit` });
    }
  });

  it('reproduces the values published in TF Privacy rdp_accountant_test.py', () => {
    // test_compute_rdp_scalar: compute_rdp(q=0.1, noise_multiplier=2, steps=10, orders=5) ≈ 0.07737 (5 places)
    expectClose(10 * sampledGaussianRdp({ q: 0.1, sigma: 2 }, 5), 0.07737, { absolute: 5e-6, label: 'TF scalar' });
    // test_compute_rdp_sequence: q=0.01, σ=2.5, 50 steps, rtol 1e-4
    const orders = [1.5, 2.5, 5, 50, 100];
    const expected = [6.5007e-4, 1.0854e-3, 2.1808e-3, 2.3846e-2, 1.6742e2];
    sampledGaussianRdpCurve({ q: 0.01, sigma: 2.5 }, orders).forEach((rdp, k) =>
      expectClose(50 * rdp, expected[k], { relative: 1e-4, label: `TF sequence α=${orders[k]}` }),
    );
  });

  it('is exactly α/(2σ²) at q = 1 and exactly 0 at q = 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.001, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (order, sigma) => {
          expect(sampledGaussianRdp({ q: 1, sigma }, order)).to.equal(order / (2 * sigma * sigma));
          expect(sampledGaussianRdp({ q: 0, sigma }, order)).to.equal(0);
        },
      ),
      { seed: 20240601, numRuns: 200 },
    );
  });

  it('treats integral orders written as floats (2.0, Opacus\' 1 + 10/10) as the integers they are', () => {
    // α = 2 has a closed form (Mironov et al. 2019, Sec. 3.3): A₂ = 1 + q²(e^{1/σ²} − 1).
    for (const [q, sigma] of [[0.01, 1.1], [1e-4, 1], [0.3, 0.7]]) {
      const exact = Math.log1p(q * q * Math.expm1(1 / (sigma * sigma)));
      expectClose(sampledGaussianRdp({ q, sigma }, 2.0), exact, { relative: 1e-13, label: `RDP(q=${q}, σ=${sigma}, α=2)` });
      expect(sampledGaussianRdp({ q, sigma }, 1 + 10 / 10)).to.equal(sampledGaussianRdp({ q, sigma }, 2));
    }
  });

  // Tolerance 1e-6 relative in the three monotonicity properties: our series is accurate to 1e-7
  // relative, so two nearly equal values may swap by that much without any real violation.
  const q = fc.double({ min: 1e-4, max: 0.9, noNaN: true });
  const sigma = fc.double({ min: 0.3, max: 20, noNaN: true });
  const order = fc.oneof(fc.double({ min: 1.01, max: 64, noNaN: true }), fc.integer({ min: 2, max: 64 }));
  const settings = { seed: 7, numRuns: 60 };

  it('is non-decreasing in the order α (property)', () => {
    fc.assert(
      fc.property(q, sigma, order, order, (q, sigma, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const rdpLo = sampledGaussianRdp({ q, sigma }, lo);
        expect(rdpLo).to.be.at.most(sampledGaussianRdp({ q, sigma }, hi) * (1 + 1e-6), `q=${q} σ=${sigma} α=${lo}→${hi}`);
      }),
      settings,
    );
  });

  it('is decreasing in σ (property)', () => {
    fc.assert(
      fc.property(q, sigma, sigma, order, (q, s1, s2, order) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const rdpHi = sampledGaussianRdp({ q, sigma: hi }, order);
        const rdpLo = sampledGaussianRdp({ q, sigma: lo }, order);
        expect(rdpHi).to.be.at.most(rdpLo * (1 + 1e-6), `q=${q} σ=${lo}→${hi} α=${order}`);
      }),
      settings,
    );
  });

  it('is increasing in q (property)', () => {
    fc.assert(
      fc.property(q, q, sigma, order, (q1, q2, sigma, order) => {
        const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
        const rdpLo = sampledGaussianRdp({ q: lo, sigma }, order);
        const rdpHi = sampledGaussianRdp({ q: hi, sigma }, order);
        expect(rdpLo).to.be.at.most(rdpHi * (1 + 1e-6), `q=${lo}→${hi} σ=${sigma} α=${order}`);
      }),
      settings,
    );
  });

  it('rejects arguments outside the domain with invalid-input', () => {
    for (const [mechanism, order] of [
      [{ q: -0.1, sigma: 1 }, 2],
      [{ q: 1.5, sigma: 1 }, 2],
      [{ q: NaN, sigma: 1 }, 2],
      [{ q: 0.1, sigma: -1 }, 2],
      [{ q: 0.1, sigma: 1 }, 1],
      [{ q: 0.1, sigma: 1 }, Infinity],
    ] as const) {
      expect(() => sampledGaussianRdp(mechanism, order))
        .to.throw(FedrecError)
        .with.property('code', 'invalid-input');
    }
    expect(sampledGaussianRdp({ q: 0.1, sigma: 0 }, 2)).to.equal(Infinity);
  });
});
