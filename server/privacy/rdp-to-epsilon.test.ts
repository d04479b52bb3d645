import { expect } from 'chai';
import { FedrecError } from '../errors/index.ts';
import { expectClose } from './expect-close.ts';
import { DEFAULT_RDP_ORDERS } from './rdp-orders.ts';
import { composeRdp, computeEpsilon, epsilonFromRdp } from './rdp-to-epsilon.ts';
import { sampledGaussianRdpCurve } from './sampled-gaussian-rdp.ts';

/**
 * [q, σ, rounds, δ, ε, best order], produced by the reference accountants themselves, not by us:
 * - pytorch/opacus opacus/accountants/rdp.py `RDPAccountant.get_privacy_spent` (DEFAULT_ALPHAS,
 *   history [(σ, q, rounds)]) over opacus/accountants/analysis/rdp.py `compute_rdp` and
 *   `get_privacy_spent` (commit 2f4b546);
 * - tensorflow/privacy tensorflow_privacy/privacy/analysis/rdp_accountant.py `compute_rdp` and
 *   `_compute_eps` (commit 385fefc, Balle et al. conversion) with the same orders.
 * Both ported line for line to plain Python 3 (numpy → lists; scipy.special binom / gammaln /
 * log_ndtr → mpmath at 40 digits), run once by hand (/tmp/privacy-ref/run_grid.py). The two
 * agree to ≤ 8e-13 relative on every row, so one value is listed.
 */
const REFERENCE_GRID: [number, number, number, number, number, number][] = [
  [0.01, 1.1, 1000, 1e-5, 1.7117700912207567, 9.6],
  [0.001, 0.8, 10000, 1e-6, 1.7036252805758572, 8.2],
  [0.02, 0.6, 300, 1e-6, 11.288700647969135, 2.6],
  [0.05, 2.0, 100, 1e-5, 1.2221959852171715, 14],
  [1.0, 5.0, 10, 1e-5, 2.8136532471298397, 7.9],
  [0.2, 1.0, 50, 1e-6, 12.635416808442551, 2.8],
  [0.004, 4.0, 2000, 1e-6, 0.20607984684575392, 63],
];

/** Tolerance set by PRODUCT.md: within 0.5% of the reference RDP accountants. */
const PRODUCT_TOLERANCE = 0.005;

describe('computeEpsilon', () => {
  it('agrees with Opacus and TF Privacy within 0.5% on ε, and on the best order', () => {
    for (const [q, sigma, steps, delta, epsilon, order] of REFERENCE_GRID) {
      const result = computeEpsilon([{ q, sigma, steps }], delta);
      const label = `ε(q=${q}, σ=${sigma}, T=${steps}, δ=${delta})`;
      expectClose(result.epsilon, epsilon, { relative: PRODUCT_TOLERANCE, label });
      expect(result.order, `best order for q=${q}, σ=${sigma}`).to.equal(order);
      // In fact we agree to ~1e-11; a drift past 1e-8 would mean a changed formula, not rounding.
      expectClose(result.epsilon, epsilon, { relative: 1e-8, label: `ε(q=${q}, σ=${sigma}) tight` });
    }
  });

  it('composes heterogeneous rounds in RDP as the references do', () => {
    // Opacus history [(1.1, 0.01, 500), (0.8, 0.02, 200), (2.0, 0.05, 100)] at δ = 1e-5, same
    // ports as above: ε = 4.226846984097932 at order 4.3 (TF Privacy: identical).
    const rounds = [
      { q: 0.01, sigma: 1.1, steps: 500 },
      { q: 0.02, sigma: 0.8, steps: 200 },
      { q: 0.05, sigma: 2.0, steps: 100 },
    ];
    const result = computeEpsilon(rounds, 1e-5);
    expectClose(result.epsilon, 4.226846984097932, { relative: PRODUCT_TOLERANCE, label: 'heterogeneous ε' });
    expect(result.order).to.equal(4.3);
    const byHand = rounds
      .map((r) => sampledGaussianRdpCurve(r, DEFAULT_RDP_ORDERS).map((v) => v * r.steps))
      .reduce((sum, curve) => sum.map((v, k) => v + curve[k]));
    expect(composeRdp(rounds)).to.deep.equal(byHand);
  });

  it('reproduces values published in TF Privacy (compute_dp_sgd_privacy_test.py)', () => {
    // tensorflow/privacy tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_test.py,
    // test_compute_dp_sgd_privacy: (n, batch, σ, epochs, δ) → (ε, order), with the orders of
    // compute_dp_sgd_privacy_lib.compute_dp_sgd_privacy and steps = ceil(epochs · n / batch).
    const integers = Array.from({ length: 59 }, (_, i) => 5 + i);
    const tfOrders = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, ...integers, 128, 256, 512];
    const published = [
      { n: 60000, batch: 150, sigma: 1.3, epochs: 15, delta: 1e-5, epsilon: 0.7242234026109595, order: 19 },
      { n: 100000, batch: 100, sigma: 1.0, epochs: 30, delta: 1e-7, epsilon: 1.4154988495444842, order: 13 },
    ];
    for (const p of published) {
      const steps = Math.ceil((p.epochs * p.n) / p.batch);
      const result = computeEpsilon([{ q: p.batch / p.n, sigma: p.sigma, steps }], p.delta, tfOrders);
      expectClose(result.epsilon, p.epsilon, { relative: PRODUCT_TOLERANCE, label: `TF published ε (σ=${p.sigma})` });
      expect(result.order).to.equal(p.order);
    }
  });

  it('flags a best order at either end of the list', () => {
    expect(computeEpsilon([{ q: 0.004, sigma: 4, steps: 2000 }], 1e-6).orderAtEdge).to.equal('largest');
    expect(computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 1000 }], 1e-5).orderAtEdge).to.equal(null);
    expect(computeEpsilon([{ q: 0.2, sigma: 1.0, steps: 50 }], 1e-6, [2.8, 3, 4]).orderAtEdge).to.equal('smallest');
  });

  it('spends exactly 0 for no rounds and for q = 0', () => {
    expect(computeEpsilon([], 1e-5).epsilon).to.equal(0);
    expect(computeEpsilon([{ q: 0, sigma: 1, steps: 1000 }], 1e-5).epsilon).to.equal(0);
  });
});

describe('epsilonFromRdp', () => {
  it('is tighter than the classic conversion rdp + log(1/δ)/(α − 1) at every order', () => {
    const rdp = composeRdp([{ q: 0.01, sigma: 1.1, steps: 1000 }]);
    DEFAULT_RDP_ORDERS.forEach((alpha, k) => {
      const balle = epsilonFromRdp([alpha], [rdp[k]], 1e-5).epsilon;
      expect(balle).to.be.at.most(rdp[k] + Math.log(1e5) / (alpha - 1));
    });
  });

  it('takes the minimum over orders and clamps at 0', () => {
    // pure-DP-like constant RDP picks the largest order (TF's test_get_privacy_spent_check_target_delta)
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const result = epsilonFromRdp(orders, orders.map(() => 1.1), 1e-5);
    expect(result.order).to.equal(32);
    const byHand = 1.1 + Math.log1p(-1 / 32) - (Math.log(1e-5) + Math.log(32)) / 31;
    expectClose(result.epsilon, byHand, { relative: 1e-15, label: 'ε at α=32' });
    // α > 1/δ can make the formula negative (here ≈ −5.6e-7): reported as 0.
    expect(epsilonFromRdp([1e7], [1e-9], 1e-5).epsilon).to.equal(0);
  });

  it('clamps a tiny negative RDP from rounding to 0, as dp_accounting does, instead of throwing', () => {
    // −9.49e-17 is what a job with q = 1e-14 (1e15 claimed shoppers) computed, and crashed on.
    expect(epsilonFromRdp([2, 32], [-9.49e-17, -1e-12], 1e-6).epsilon).to.equal(0);
    expect(epsilonFromRdp([2, 32], [-9.49e-17, 0.5], 1e-6).epsilon).to.equal(epsilonFromRdp([2, 32], [0, 0.5], 1e-6).epsilon);
    expect(() => epsilonFromRdp([2], [-1e-6], 1e-6)).to.throw(FedrecError, /RDP must be >= 0/);
  });

  it('rejects bad inputs with invalid-input', () => {
    const bad: [number[], number[], number][] = [
      [[2, 3], [0.1], 1e-5],
      [[2], [0.1], 0],
      [[2], [0.1], 1],
      [[1], [0.1], 1e-5],
      [[2], [-0.1], 1e-5],
      [[], [], 1e-5],
    ];
    for (const [orders, rdp, delta] of bad) {
      expect(() => epsilonFromRdp(orders, rdp, delta)).to.throw(FedrecError).with.property('code', 'invalid-input');
    }
    expect(() => composeRdp([{ q: 0.1, sigma: 1, steps: 1.5 }])).to.throw(FedrecError);
  });
});
