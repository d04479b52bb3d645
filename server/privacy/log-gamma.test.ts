import { expect } from 'chai';
import { expectClose } from './expect-close.ts';
import { logBinomial, logGamma } from './log-gamma.ts';

/**
 * log|Γ(x)| from mpmath 1.3.0 at 50 digits: `mpmath.log(abs(mpmath.gamma(mpmath.mpf(x))))`
 * (script: /tmp/privacy-ref/run_special.py during development; the values are the whole reference).
 */
const MPMATH_LOG_GAMMA: [number, number][] = [
  [0.001, 6.9071788853838536825],
  [0.5, 0.57236494292470008707],
  [1, 0],
  [1.5, -0.12078223763524522235],
  [2, 0],
  [2.5, 0.28468287047291915963],
  [3.7, 1.4280723266653879219],
  [7.3, 7.1478925230222490328],
  [10, 12.801827480081469611],
  [20.5, 40.83150097453079811],
  [64, 201.00931639928152668],
  [171.5, 709.14316303092824227],
  [512.25, 2681.3815450223195254],
  [1e5, 1051287.7089736568949],
  [-0.5, 1.2655121234846453965],
  [-2.3, 0.36956666345500744818],
  [-30.7, -75.701982460013063975],
];

describe('logGamma', () => {
  it('matches mpmath to 1e-13 relative (1e-14 absolute near its zeros at 1 and 2)', () => {
    for (const [x, expected] of MPMATH_LOG_GAMMA) {
      expectClose(logGamma(x), expected, { relative: 1e-13, absolute: 1e-14, label: `logGamma(${x})` });
    }
  });

  it('gives log factorials at the integers', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      expectClose(logGamma(n + 1), (logFactorial += Math.log(n)), { relative: 1e-13, absolute: 1e-14, label: `log ${n}!` });
    }
  });

  it('refuses the poles', () => {
    expect(() => logGamma(0)).to.throw(RangeError);
    expect(() => logGamma(-3)).to.throw(RangeError);
  });
});

describe('logBinomial', () => {
  it('gives exact integer binomials', () => {
    expectClose(logBinomial(5, 2).log, Math.log(10), { relative: 1e-14, label: 'C(5,2)' });
    expectClose(logBinomial(63, 31).log, Math.log(916312070471295267), { relative: 1e-13, label: 'C(63,31)' });
    expect(logBinomial(4, 7).log).to.equal(-Infinity);
  });

  it('gives the sign and magnitude of fractional binomials, C(α, i) = Π_{j<i} (α − j) / i!', () => {
    for (const alpha of [1.1, 2.5, 7.3]) {
      let product = 1;
      for (let i = 0; i <= 12; i++) {
        const { log, sign } = logBinomial(alpha, i);
        expect(sign, `sign of C(${alpha}, ${i})`).to.equal(Math.sign(product));
        expectClose(log, Math.log(Math.abs(product)), { relative: 1e-12, absolute: 1e-13, label: `log|C(${alpha}, ${i})|` });
        product *= (alpha - i) / (i + 1);
      }
    }
  });
});
