import { expect } from 'chai';
import { effectiveNoiseMultiplier, updateClipNorm } from './adaptive-clip.ts';
import { CryptoRandomSource, SeededRandomSource, defaultRandomSource, poissonSample, type RandomSource } from '../../protocol/index.ts';

const draws = (source: RandomSource, n: number): number[] => Array.from({ length: n }, () => source.uniform());

describe('SeededRandomSource', () => {
  it('replays the same stream for the same seed, across buffer refills', () => {
    // 20,000 uniforms = 160 kB, so the AES-CTR counter carries over between two 64 KiB refills.
    expect(draws(new SeededRandomSource('job-42'), 20_000)).to.deep.equal(draws(new SeededRandomSource('job-42'), 20_000));
    const a = new SeededRandomSource(7).fillGaussian(new Float32Array(1000), 1);
    const b = new SeededRandomSource('7').fillGaussian(new Float32Array(1000), 1);
    expect(a).to.deep.equal(b);
  });

  it('gives different streams for different seeds', () => {
    const a = draws(new SeededRandomSource('job-42'), 100);
    const b = draws(new SeededRandomSource('job-43'), 100);
    const c = draws(new SeededRandomSource(new Uint8Array([1, 2, 3])), 100);
    expect(a.filter((x, i) => x === b[i])).to.have.length(0);
    expect(a.filter((x, i) => x === c[i])).to.have.length(0);
  });
});

describe('uniform()', () => {
  for (const [name, source] of [
    ['CryptoRandomSource', new CryptoRandomSource()],
    ['SeededRandomSource', new SeededRandomSource('uniform-test')],
  ] as const) {
    it(`${name}: stays in (0, 1) with mean 1/2 and variance 1/12`, () => {
      const n = 200_000;
      const xs = draws(source, n);
      expect(xs.every((x) => x > 0 && x < 1)).to.equal(true);
      const mean = xs.reduce((s, x) => s + x, 0) / n;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
      // 5 standard errors: SE(mean) = √(1/12 / n) ≈ 6.5e-4; SE(variance) = √((μ₄ − σ⁴)/n) with
      // μ₄ = 1/80 for U(0,1), ≈ 1.7e-4. (The Crypto source is unseeded: a false alarm has p ≈ 6e-7.)
      expect(Math.abs(mean - 0.5)).to.be.below(5 * Math.sqrt(1 / 12 / n));
      expect(Math.abs(variance - 1 / 12)).to.be.below(5 * Math.sqrt((1 / 80 - 1 / 144) / n));
    });
  }
});

const CLIP_ROUND = {
  clipNorm: 1,
  unclippedCount: 5,
  sampledCount: 10,
  expectedShoppers: 10,
  targetQuantile: 0.5,
  learningRate: 0.2,
  countNoiseStd: 0.5,
};

describe('no Math.random anywhere in DP randomness', () => {
  it('draws noise, samples and clip updates with Math.random booby-trapped', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random was called from DP code');
    };
    try {
      const sources = [defaultRandomSource(), new CryptoRandomSource(), new SeededRandomSource('trap')];
      for (const source of sources) {
        source.fillGaussian(new Float32Array(100_000), 1); // > one 64 KiB refill
        source.addGaussian(new Float32Array(10), 2);
        poissonSample(10_000, 0.1, source);
        updateClipNorm({ ...CLIP_ROUND, random: source });
      }
      poissonSample(100, 0.5); // the defaults
      updateClipNorm(CLIP_ROUND);
      effectiveNoiseMultiplier(1, 1);
    } finally {
      Math.random = original;
    }
  });
});
