import { expect } from 'chai';
import fc from 'fast-check';
import { FedrecError } from '../errors/index.ts';
import { calibrateNoise } from './calibrate-noise.ts';
import { computeEpsilon } from './rdp-to-epsilon.ts';

describe('calibrateNoise', () => {
  it('recovers σ = 1.1 from the ε Opacus / TF Privacy report for it', () => {
    // ε(q=0.01, σ=1.1, T=1000, δ=1e-5) = 1.7117700912207567 per the reference ports
    // (rdp-to-epsilon.test.ts); the inverse must land back on 1.1.
    const sigma = calibrateNoise({ targetEpsilon: 1.7117700912207567, delta: 1e-5, q: 0.01, rounds: 1000 });
    expect(sigma).to.be.closeTo(1.1, 1.1e-5);
  });

  it('returns a σ whose ε is within budget and within 1% of it (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 10, noNaN: true }),
        fc.double({ min: 1e-3, max: 0.2, noNaN: true }),
        fc.integer({ min: 1, max: 2000 }),
        fc.constantFrom(1e-5, 1e-6),
        (targetEpsilon, q, rounds, delta) => {
          const sigma = calibrateNoise({ targetEpsilon, delta, q, rounds });
          const { epsilon } = computeEpsilon([{ q, sigma, steps: rounds }], delta);
          expect(epsilon).to.be.at.most(targetEpsilon);
          expect(epsilon).to.be.at.least(0.99 * targetEpsilon);
        },
      ),
      { seed: 11, numRuns: 12 },
    );
  });

  it('says clearly when the budget cannot be met', () => {
    const call = (): number => calibrateNoise({ targetEpsilon: 1e-9, delta: 1e-5, q: 1, rounds: 1000 });
    expect(call).to.throw(FedrecError, /needs σ >/).with.property('code', 'invalid-input');
  });

  it('rejects invalid targets', () => {
    for (const bad of [
      { targetEpsilon: 0, delta: 1e-5, q: 0.01, rounds: 10 },
      { targetEpsilon: 1, delta: 1e-5, q: 0, rounds: 10 },
      { targetEpsilon: 1, delta: 1e-5, q: 0.01, rounds: 0 },
      { targetEpsilon: 1, delta: 2, q: 0.01, rounds: 10 },
    ]) {
      expect(() => calibrateNoise(bad)).to.throw(FedrecError).with.property('code', 'invalid-input');
    }
  });
});
