import { expect } from 'chai';
import { newRecommendationId } from './issued-recommendations.ts';

describe('newRecommendationId', () => {
  it('gives rec_ + 32 hex digits, never the same twice across many refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newRecommendationId());
    for (const id of ids.slice(0, 100)) expect(id).to.match(/^rec_[0-9a-f]{32}$/);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('draws every hex digit evenly at every position (chi-square, 15 df, over 20,000 ids)', () => {
    const ids = Array.from({ length: 20_000 }, () => newRecommendationId().slice(4));
    // The OS CSPRNG cannot be seeded, so the bound is set for a negligible false alarm: with 15 degrees of freedom
    // P(χ² > 60) ≈ 1e-6 per position, ~3e-5 for any of the 32. A zeroed or constant pool gives χ² = 300,000.
    for (let position = 0; position < 32; position++) {
      const counts = new Array(16).fill(0);
      for (const id of ids) counts[parseInt(id[position], 16)]++;
      const expected = ids.length / 16;
      const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
      expect(chiSquare, `position ${position}`).to.be.below(60);
    }
  });
});
