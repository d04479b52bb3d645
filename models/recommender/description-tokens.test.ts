import { expect } from 'chai';
import fc from 'fast-check';
import { addDescriptionSimilarities, descriptionSimilarity, descriptionTokens, descriptionWords } from './description-tokens.ts';

describe('descriptionTokens', () => {
  const names = ['RED RETROSPOT CAKE STAND', 'RED RETROSPOT MUG', 'WHITE HANGING HEART T-LIGHT HOLDER', 'red retrospot mug', undefined, '3 X'];
  const tokens = descriptionTokens(names);

  it('splits names into distinct upper-case words of two or more characters', () => {
    expect(descriptionWords('white hanging heart t-light holder, HEART')).to.deep.equal(['WHITE', 'HANGING', 'HEART', 'LIGHT', 'HOLDER']);
    expect(descriptionWords('3 X')).to.deep.equal([]);
  });

  it('gives cosine similarities: 1 for the same words, 0 for no shared word or no words', () => {
    expect(descriptionSimilarity(tokens, 1, 3)).to.be.closeTo(1, 1e-6);
    expect(descriptionSimilarity(tokens, 0, 0)).to.be.closeTo(1, 1e-6);
    expect(descriptionSimilarity(tokens, 0, 2)).to.equal(0);
    expect(descriptionSimilarity(tokens, 4, 4)).to.equal(0);
    expect(descriptionSimilarity(tokens, 5, 0)).to.equal(0);
    // Hand-computed: idf RED = RETROSPOT = ln(6/3), CAKE = STAND = ln 6, MUG = ln(6/2); cosine of items 0 and 1.
    const [r, c, m] = [Math.log(2), Math.log(6), Math.log(3)];
    expect(descriptionSimilarity(tokens, 0, 1)).to.be.closeTo((2 * r * r) / (Math.sqrt(2 * r * r + 2 * c * c) * Math.sqrt(2 * r * r + m * m)), 1e-6);
  });

  it('adds through the postings exactly what the pairwise similarity gives, for random catalogues', () => {
    const word = fc.constantFrom('red', 'blue', 'mug', 'cake', 'heart', 'set', 'x');
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 4 }).map((w) => w.join(' ')), { minLength: 1, maxLength: 12 }), fc.nat(), (catalog, pick) => {
        const t = descriptionTokens(catalog);
        const item = pick % catalog.length;
        const out = new Float64Array(catalog.length);
        addDescriptionSimilarities(t, item, 2, out);
        out.forEach((value, i) => expect(value).to.be.closeTo(2 * descriptionSimilarity(t, item, i), 1e-9));
      }),
    );
  });
});
