import { expect } from 'chai';
import fc from 'fast-check';
import { topK } from './top-k.ts';

/** The reference: a full sort, best score first, ties to the lower index, NaN and excluded dropped. */
function bySorting(scores: number[], k: number, exclude: ReadonlySet<number>): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .filter((e) => !Number.isNaN(e.score) && !exclude.has(e.index))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k)
    .map((e) => e.index);
}

describe('topK', () => {
  it('agrees with a full sort, ties and exclusions included', () => {
    // Few distinct values make ties common; NaN and ±Infinity appear too.
    const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: false }), fc.constantFrom(Infinity, -Infinity, Number.NaN));
    fc.assert(
      fc.property(fc.array(score, { maxLength: 80 }), fc.integer({ min: 0, max: 100 }), fc.array(fc.nat(90), { maxLength: 10 }), (scores, k, excluded) => {
        const exclude = new Set(excluded);
        expect(topK(scores, k, exclude)).to.deep.equal(bySorting(scores, k, exclude));
        expect(topK(Float32Array.from(scores), k)).to.deep.equal(bySorting(Array.from(Float32Array.from(scores)), k, new Set()));
      }),
      { numRuns: 500 },
    );
  });

  it('returns the lower index first on a tie, and everything when k exceeds the catalogue', () => {
    expect(topK([1, 5, 5, 2], 2)).to.deep.equal([1, 2]);
    expect(topK([1, 5, 5, 2], 10)).to.deep.equal([1, 2, 3, 0]);
    expect(topK([1, 2], 0)).to.deep.equal([]);
  });
});
