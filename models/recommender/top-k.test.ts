import { expect } from 'chai';
import fc from 'fast-check';
import { topK } from './top-k.ts';

/** The reference: a full sort, best score first, ties to the lower index, NaN dropped. */
function bySorting(scores: ArrayLike<number>, k: number): number[] {
  return Array.from(scores, (score, index) => ({ score, index }))
    .filter((e) => !Number.isNaN(e.score))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k)
    .map((e) => e.index);
}

describe('topK', () => {
  it('agrees with a full sort, float32 and float64, with ties, NaN (masked items) and ±Infinity', () => {
    // Few distinct values make ties common.
    const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: false }), fc.constantFrom(Infinity, -Infinity, Number.NaN));
    fc.assert(
      fc.property(fc.array(score, { maxLength: 120 }), fc.integer({ min: 0, max: 130 }), (values, k) => {
        const scores = Float32Array.from(values);
        expect(topK(scores, k)).to.deep.equal(bySorting(scores, k));
        expect(topK(values, k), 'float64 scores').to.deep.equal(bySorting(values, k));
      }),
      { numRuns: 1000 },
    );
  });

  it('with block maxima: the same, reading fewer scores, for any block size and any upper bounds', () => {
    const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: false }), fc.constantFrom(Infinity, -Infinity, Number.NaN));
    fc.assert(
      fc.property(fc.array(score, { maxLength: 300 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 70 }), fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(NaN)), { maxLength: 10 }), (values, k, size, slack) => {
        const scores = Float32Array.from(values);
        const max = new Float32Array(Math.ceil(scores.length / size)).map((_, b) => {
          let m = -Infinity;
          for (let i = b * size; i < Math.min(scores.length, (b + 1) * size); i++) m = Math.max(m, scores[i]);
          // Maxima need only be upper bounds; a NaN one makes its block be read.
          return m + (slack[b % Math.max(1, slack.length)] ?? 0);
        });
        expect(topK(scores, k, { max, size })).to.deep.equal(bySorting(scores, k));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses block maxima that do not match the scores', () => {
    expect(() => topK(new Float32Array(10), 3, { max: new Float32Array(2), size: 4 })).to.throw(/2 block maxima for 10 scores in blocks of 4/);
  });

  it('lower index first on a tie; everything scorable when k exceeds the catalogue; nothing for k = 0', () => {
    expect(topK(Float32Array.of(1, 5, 5, 2), 2)).to.deep.equal([1, 2]);
    expect(topK(Float32Array.of(1, NaN, 5, 2), 10)).to.deep.equal([2, 3, 0]);
    expect(topK(Float32Array.of(1, 2), 0)).to.deep.equal([]);
  });
});
