import { expect } from 'chai';
import { expectClose } from './expect-close.ts';
import { logErfc } from './log-erfc.ts';

/**
 * log(erfc(x)) from mpmath 1.3.0 at 50 digits: `mpmath.log(mpmath.erfc(mpmath.mpf(x)))`. Beyond
 * x ≈ 26.5 erfc(x) is below the smallest double, so these are exactly the values a naive
 * Math.log(erfc(x)) cannot produce.
 */
const MPMATH_LOG_ERFC: [number, number][] = [
  [-30, 0.69314718055994530942],
  [-3, 0.69313613525044681032],
  [-0.5, 0.41903914777555958036],
  [0, 0],
  [1e-8, -1.1283791734617103078e-8],
  [0.3, -0.39843005144008528965],
  [0.5, -0.73501112983708440303],
  [1, -1.8496055099332482486],
  [1.9, -4.9323458627802693088],
  [2.1, -5.8160109688675546045],
  [3, -10.720363041981112568],
  [5, -27.200889545537434422],
  [10, -102.87988902484488857],
  [26.5, -706.10022041014808661],
  [27, -732.86888650789741098],
  [50, -2504.4845878484513719],
  [1e3, -1000007.4801207219062],
  [1e5, -10000000012.085290408],
];

describe('logErfc', () => {
  it('matches mpmath to 1e-13 relative on both sides of every branch switch (±2)', () => {
    for (const [x, expected] of MPMATH_LOG_ERFC) {
      expectClose(logErfc(x), expected, { relative: 1e-13, absolute: 1e-16, label: `logErfc(${x})` });
    }
  });

  it('is continuous across the series / continued-fraction switch at x = 2', () => {
    expectClose(logErfc(2 - 1e-12), logErfc(2), { relative: 1e-11, label: 'logErfc at 2⁻ vs 2' });
    expectClose(logErfc(-2 + 1e-12), logErfc(-2), { relative: 1e-11, label: 'logErfc at −2⁺ vs −2' });
  });

  it('handles the infinities and NaN', () => {
    expect(logErfc(Infinity)).to.equal(-Infinity);
    expect(logErfc(-Infinity)).to.equal(Math.LN2);
    expect(logErfc(NaN)).to.be.NaN;
  });
});
