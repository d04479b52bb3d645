import { expect } from 'chai';
import fc from 'fast-check';
import { jobConfigSchema } from './job-config.ts';
import { fedAdam, fedAvg, fedAvgM, momentumFromStep, serverOptimizerFor, type ServerOptimizer } from './server-optimizer.ts';

/** One released step: the optimizer's step on a copy of `weights`, adopted. */
function step(optimizer: ServerOptimizer, weights: number[], delta: number[]): number[] {
  const candidate = Float32Array.from(weights);
  optimizer.apply(candidate, Float64Array.from(delta));
  optimizer.commit();
  return [...candidate];
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6): void {
  expect(actual).to.have.length(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `index ${i}: ${a} vs ${expected[i]}`).to.be.below(tolerance));
}

describe('server optimizers', () => {
  it('FedAvg steps w + ηΔ', () => {
    expectClose(step(fedAvg(0.5), [1, -2], [0.5, 1]), [1.25, -1.5]);
  });

  it('FedAvgM steps w + η m with m ← β m + Δ (two steps by hand)', () => {
    const optimizer = fedAvgM(0.5, 0.9);
    // m1 = Δ1 = (0.5, 1): w1 = (1, −2) + 0.5 m1 = (1.25, −1.5)
    const w1 = step(optimizer, [1, -2], [0.5, 1]);
    expectClose(w1, [1.25, -1.5]);
    // m2 = 0.9 (0.5, 1) + (−1, 0.25) = (−0.55, 1.15): w2 = w1 + 0.5 m2 = (0.975, −0.925)
    expectClose(step(optimizer, w1, [-1, 0.25]), [0.975, -0.925]);
  });

  it('FedAvgM at β = 0 is FedAvg', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.float({ min: -1, max: 1, noNaN: true }), fc.float({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 4 }), (deltas) => {
        let a = [0.3, -0.2];
        let b = [0.3, -0.2];
        const momentum = fedAvgM(0.7, 0);
        const plain = fedAvg(0.7);
        for (const d of deltas) {
          a = step(momentum, a, d);
          b = step(plain, b, d);
        }
        expectClose(a, b);
      }),
    );
  });

  it('FedAdam steps w + η m / (√v + τ) from v = τ² (Reddi et al. 2021, Alg. 2, one step by hand)', () => {
    const options = { beta1: 0.9, beta2: 0.99, tau: 1e-3 };
    // m = 0.1 Δ, v = 0.99 τ² + 0.01 Δ²
    const delta = [0.5, -2];
    const expected = delta.map((d, i) => [1, -2][i] + (0.1 * 0.1 * d) / (Math.sqrt(0.99 * 1e-6 + 0.01 * d * d) + 1e-3));
    expectClose(step(fedAdam(0.1, options), [1, -2], delta), expected);
  });

  for (const [name, make] of [
    ['FedAvgM', () => fedAvgM(0.5, 0.9)],
    ['FedAdam', () => fedAdam(0.1, { beta1: 0.9, beta2: 0.99, tau: 1e-3 })],
  ] as const) {
    it(`${name}: a step that is applied but not committed (a refused round) leaves its state as it was`, () => {
      const refused = make();
      step(refused, [0, 0], [1, -1]);
      const candidate = Float32Array.from([0, 0]);
      refused.apply(candidate, Float64Array.from([5, 5])); // refused: never committed
      const unbroken = make();
      step(unbroken, [0, 0], [1, -1]);
      expectClose(step(refused, [0, 0], [-0.5, 0.25]), step(unbroken, [0, 0], [-0.5, 0.25]));
    });
  }

  it('FedAvgM resumed from its last two weight versions steps as the unbroken run does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 6 }),
        fc.float({ min: Math.fround(0.1), max: 5, noNaN: true }),
        fc.float({ min: 0, max: Math.fround(0.95), noNaN: true }),
        (deltas, learningRate, beta) => {
          const unbroken = fedAvgM(learningRate, beta);
          const versions = [[0.5, -1, 2]];
          for (const d of deltas) versions.push(step(unbroken, versions.at(-1)!, d));
          const [before, latest] = versions.slice(-2).map((v) => Float32Array.from(v));
          const resumed = fedAvgM(learningRate, beta, momentumFromStep(before, latest, learningRate));
          const next = [0.25, -0.5, 1];
          // The rounding of the stored float32 weights, divided by η, is all that may differ.
          expectClose(step(resumed, [...latest], next), step(unbroken, [...latest], next), 1e-4);
        },
      ),
    );
  });

  it('FedAdam resumed from the state it staged for the store steps exactly as the unbroken run does', () => {
    const options = { beta1: 0.9, beta2: 0.99, tau: 1e-3 };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.float({ min: Math.fround(0.001), max: Math.fround(0.5), noNaN: true }),
        (deltas, learningRate) => {
          const unbroken = fedAdam(learningRate, options);
          let weights = [0.5, -1, 2];
          let stored: Float32Array | undefined;
          for (const d of deltas) {
            const candidate = Float32Array.from(weights);
            unbroken.apply(candidate, Float64Array.from(d));
            stored = unbroken.stagedState(); // what completeRound keeps with the round
            unbroken.commit();
            weights = [...candidate];
          }
          expect(stored).to.have.length(6);
          const resumed = fedAdam(learningRate, options, stored);
          const next = [0.25, -0.5, 1];
          expect(step(resumed, weights, next)).to.deep.equal(step(unbroken, weights, next));
        },
      ),
    );
    expect(fedAdam(0.1, options).stagedState(), 'nothing staged before a step').to.equal(undefined);
    expect(fedAvg(1).stagedState()).to.equal(undefined);
  });

  it('momentumFromStep and fedAvgM refuse weights of another size, naming both', () => {
    expect(() => momentumFromStep(new Float32Array(2), new Float32Array(3), 1)).to.throw('momentumFromStep: the weights before hold 2 values, after 3');
    expect(() => fedAvgM(1, 0.9, new Float64Array(2)).apply(new Float32Array(3), new Float64Array(3))).to.throw('fedAvgM: momentum has 2 values, model has 3');
    expect(() => fedAdam(1, { beta1: 0.9, beta2: 0.99, tau: 1e-3 }, new Float32Array(4)).apply(new Float32Array(3), new Float64Array(3))).to.throw('fedAdam: moments hold 2 values each, model has 3');
  });

  it('the job config names fedavgm with β in [0, 1), default 0.9, and serverOptimizerFor builds it', () => {
    const parsed = jobConfigSchema.parse({ rounds: 1, samplingRate: 0.1, serverOptimizer: 'fedavgm' });
    expect(parsed).to.include({ serverOptimizer: 'fedavgm', serverMomentum: 0.9 });
    expectClose(step(serverOptimizerFor({ ...parsed, serverLearningRate: 2 }), [0], [0.25]), [0.5]);
    const bad = jobConfigSchema.safeParse({ rounds: 1, samplingRate: 0.1, serverOptimizer: 'fedavgm', serverMomentum: 1 });
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).to.deep.equal(['serverMomentum']);
    expect(jobConfigSchema.safeParse({ rounds: 1, samplingRate: 0.1, serverMomentum: -0.1 }).success).to.equal(false);
  });

  describe('per-coordinate learning-rate scales', () => {
    const adam = { beta1: 0.9, beta2: 0.99, tau: 1e-3 };
    const cases: [string, (scales?: Float32Array) => ServerOptimizer][] = [
      ['fedAvg', (scales) => fedAvg(0.5, scales)],
      ['fedAvgM', (scales) => fedAvgM(0.5, 0.9, undefined, scales)],
      ['fedAdam', (scales) => fedAdam(0.02, adam, undefined, scales)],
    ];
    for (const [name, make] of cases) {
      it(`${name}: a scaled coordinate moves scale × as far over every step, the others exactly as unscaled`, () => {
        fc.assert(
          fc.property(fc.array(fc.tuple(fc.float({ min: -1, max: 1, noNaN: true }), fc.float({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 5 }), fc.double({ min: 0.05, max: 4, noNaN: true }), (deltas, scale) => {
            const scaled = make(Float32Array.of(scale, 1));
            const plain = make();
            let a = [0.25, -0.5];
            let b = [0.25, -0.5];
            for (const d of deltas) {
              const before = a;
              a = step(scaled, a, d);
              const plainBefore = b;
              b = step(plain, b, d);
              // Each optimizer's state is per coordinate and reads only Δ, so coordinate 0's step is its
              // unscaled step times the scale (float32 rounding of the weights aside).
              expect(Math.abs(a[0] - before[0] - scale * (b[0] - plainBefore[0]))).to.be.below(1e-5 * (1 + scale));
              expect(a[1]).to.equal(b[1]);
            }
          }),
          { numRuns: 50 },
        );
      });
    }

    it('momentumFromStep divides by each coordinate’s own rate, so a resumed FedAvgM with scales continues its momentum', () => {
      const scales = Float32Array.of(0.25, 1, 3);
      const unbroken = fedAvgM(0.5, 0.9, undefined, scales);
      const w1 = step(unbroken, [0.1, 0.2, 0.3], [0.4, -0.2, 0.1]);
      const m = momentumFromStep(Float32Array.of(0.1, 0.2, 0.3), Float32Array.from(w1), 0.5, scales);
      const resumed = fedAvgM(0.5, 0.9, m, scales);
      expectClose(step(resumed, w1, [-0.3, 0.5, 0.2]), step(unbroken, w1, [-0.3, 0.5, 0.2]), 1e-6);
    });

    it('scales of another length than the weights are refused, naming both', () => {
      expect(() => fedAdam(0.02, adam, undefined, new Float32Array(2)).apply(new Float32Array(3), new Float64Array(3))).to.throw('fedAdam: the learning-rate scales hold 2 values, model has 3');
      expect(() => momentumFromStep(new Float32Array(3), new Float32Array(3), 1, new Float32Array(1))).to.throw('momentumFromStep: the learning-rate scales hold 1 values, model has 3');
    });
  });
});
