import { expect } from 'chai';
import { FedrecError } from '../errors/index.ts';
import { effectiveNoiseMultiplier, updateClipNorm, updateNoiseMultiplierFor } from './adaptive-clip.ts';
import { expectClose } from './expect-close.ts';
import { SeededRandomSource, poissonSample } from '../../protocol/index.ts';

/**
 * Simulation: update norms are Exponential(1), whose γ-quantile is −ln(1 − γ) (ln 2 for the median,
 * ln 10 for γ = 0.9). Each round Poisson-samples a population of 2,000 at q = 0.05 (100 expected
 * shoppers), with Andrew et al.'s settings η = 0.2 and σ_b = expected / 20 = 5. 4,000 rounds; we
 * average log C over the last 3,000 (from 100× above, γ = 0.9 needs ~350 rounds to arrive, since
 * C can fall by at most e^{−η(1 − γ)} = e^{−0.02} per round).
 *
 * Tolerance, derived and then checked over 20 seeds per case. Near the target log C is an AR(1)
 * process: step noise η · sd(b̃), with sd(b̃) = √(Var(U − S/2) + σ_b²)/100 = √(25 + 25)/100 ≈ 0.071
 * for both γ (U unclipped, S sampled), and pull-back per round κ = η · f(c)c (the density of
 * log-norm at the quantile) = 0.069 (γ = .5) or 0.046 (γ = .9). Stationary sd ≈ η·sd(b̃)/√(2κ) ≈
 * 0.038–0.047 (measured 0.036–0.048); SE of a 3,000-round mean ≈ sd·√((2 − κ)/(κ · 3000)) ≈
 * 0.003–0.006 (measured 0.002–0.006). At γ = 0.9 clamping b̃ to [0, 1] (1.4 sd away) and the
 * concavity of F(e^x) bias C upwards by ~1.2% (measured +1.5%). So 5% on C leaves ≥ 6 SE
 * beyond the bias; the worst of the 80 measured runs was 2.3%.
 */
function simulate(targetQuantile: number, initialClip: number, seed: string): { meanClip: number } {
  const random = new SeededRandomSource(seed);
  const population = 2000;
  const q = 0.05;
  let clipNorm = initialClip;
  const clips: number[] = [];
  for (let round = 0; round < 4000; round++) {
    const sampledCount = poissonSample(population, q, random).length;
    let unclippedCount = 0;
    for (let s = 0; s < sampledCount; s++) if (-Math.log(random.uniform()) <= clipNorm) unclippedCount++;
    ({ clipNorm } = updateClipNorm({
      clipNorm,
      unclippedCount,
      sampledCount,
      expectedShoppers: population * q,
      targetQuantile,
      learningRate: 0.2,
      countNoiseStd: (population * q) / 20,
      random,
    }));
    clips.push(clipNorm);
  }
  const tail = clips.slice(1000);
  return { meanClip: Math.exp(tail.reduce((s, c) => s + Math.log(c), 0) / tail.length) };
}

/** Andrew et al.'s settings with the count noise off, for the deterministic checks. */
const NOISELESS = { expectedShoppers: 100, targetQuantile: 0.5, learningRate: 0.2, countNoiseStd: 0 };

describe('updateClipNorm', () => {
  for (const gamma of [0.5, 0.9]) {
    const quantile = -Math.log(1 - gamma);
    for (const [start, factor] of [['far above', 100], ['far below', 0.01]] as const) {
      it(`converges to the ${gamma} quantile from ${start} (C₀ = ${factor} × quantile)`, () => {
        const { meanClip } = simulate(gamma, factor * quantile, `adaptive-${gamma}-${factor}`);
        expectClose(meanClip, quantile, { relative: 0.05, label: `C for γ=${gamma} from ${start}` });
      });
    }
  }

  it('lowers C when more than γ of the updates were unclipped, raises it when fewer', () => {
    const base = { ...NOISELESS, clipNorm: 1, sampledCount: 100 };
    const down = updateClipNorm({ ...base, unclippedCount: 90 });
    expect(down.unclippedFraction).to.be.closeTo(0.9, 1e-12);
    expect(down.clipNorm).to.be.closeTo(Math.exp(-0.2 * 0.4), 1e-12);
    expect(updateClipNorm({ ...base, unclippedCount: 10 }).clipNorm).to.be.closeTo(Math.exp(0.2 * 0.4), 1e-12);
  });

  it('divides by the expected, not the realised, number of shoppers', () => {
    // 60 of 120 sampled shoppers unclipped, 100 expected: centred sum 0 → b̃ = ½ exactly.
    const result = updateClipNorm({ ...NOISELESS, clipNorm: 2, unclippedCount: 60, sampledCount: 120 });
    expect(result.unclippedFraction).to.equal(0.5);
    expect(result.clipNorm).to.equal(2);
  });

  it('rejects inconsistent inputs, listing every problem', () => {
    expect(() =>
      updateClipNorm({
        clipNorm: 0,
        unclippedCount: 11,
        sampledCount: 10,
        expectedShoppers: 0,
        targetQuantile: 2,
        learningRate: -1,
        countNoiseStd: -1,
      }),
    )
      .to.throw(FedrecError, /clipNorm.*unclippedCount.*expectedShoppers.*targetQuantile.*learningRate.*countNoiseStd/)
      .with.property('code', 'invalid-input');
  });
});

describe('effective noise multiplier of adaptive clipping', () => {
  it('follows σ_eff = (σ_z⁻² + (2σ_b)⁻²)^−½ (Andrew et al. 2021, Thm. 1)', () => {
    expectClose(effectiveNoiseMultiplier(1, 5), (1 + 1 / 100) ** -0.5, { relative: 1e-15, label: 'σ_eff(1, 5)' });
    expect(effectiveNoiseMultiplier(1, 0)).to.equal(0); // a noiseless count leaks: no privacy
    expect(effectiveNoiseMultiplier(1, Infinity)).to.equal(1); // no count query at all
  });

  it('matches TFF adaptive_clip_noise_params: total 1.0 with 100 clients per round', () => {
    // tensorflow_federated/python/aggregators/differential_privacy.py: clipped_count_stddev
    // defaults to 0.05 · 100 = 5 and value_noise_multiplier = (1⁻² − (2·5)⁻²)^−½ ≈ 1.0050378.
    expectClose(updateNoiseMultiplierFor(1, 5), 1.005037815259212, { relative: 1e-12, label: 'σ_z' });
  });

  it('inverts: the σ_z it returns gives back the total', () => {
    for (const [total, countStd] of [[0.8, 5], [1.1, 0.6], [3, 20]]) {
      const sigmaZ = updateNoiseMultiplierFor(total, countStd);
      expectClose(effectiveNoiseMultiplier(sigmaZ, countStd), total, { relative: 1e-12, label: `round trip ${total}` });
    }
  });

  it('refuses a count noise too small for the total', () => {
    expect(() => updateNoiseMultiplierFor(1, 0.5)).to.throw(FedrecError, /too small/);
  });
});
