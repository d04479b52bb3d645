import { expect } from 'chai';
import { reasonCodes, reasonPolarity, type ReasonCode, type ReasonParams } from './reason-codes.ts';
import { reasonTemplates, renderClause, renderPhrase, sentenceTemplates } from './reason-templates.ts';

/** One example per code; the mapped type makes a code without an example a compile error too. */
const examples: { [C in ReasonCode]: ReasonParams<C> } = {
  'bought-before': { itemId: 'i1', name: 'Greek Yogurt 500g' },
  'bought-recently': { itemId: 'i1', name: 'Greek Yogurt 500g' },
  'bought-with': { itemId: 'i2', name: 'Organic Oats 1kg' },
  'unlike-purchase': { itemId: 'i3', name: 'Cat Food 2kg' },
  'other-purchases': {},
  'category-affinity': { category: 'Dairy' },
  'category-saturated': { category: 'Dairy' },
  'price-fit': { price: 2.2, usualPrice: 2.1 },
  'price-above-usual': { price: 9.5, usualPrice: 2.1 },
  'price-below-usual': { price: 0.5, usualPrice: 2.1 },
  'on-promotion': {},
  'promotion-no-lift': {},
  'new-arrival': {},
  'new-unproven': {},
  'store-trend': { storeId: 'store-01' },
  'store-unpopular': { storeId: 'store-01' },
  'non-personalized': {},
  'opted-out': {},
  'do-not-target': {},
  'global-privacy-control': {},
  'consent-never-asked': {},
  holdout: {},
  'model-withdrawn': {},
};

describe('reason templates', () => {
  it('every reason code has a phrase and a clause, and no template is left without a code', () => {
    expect(Object.keys(reasonTemplates).sort()).to.deep.equal([...reasonCodes].sort());
    expect(Object.keys(reasonPolarity).sort()).to.deep.equal([...reasonCodes].sort());
    expect(new Set(reasonCodes).size).to.equal(reasonCodes.length);
  });

  for (const code of reasonCodes) {
    it(`renders ${code}`, () => {
      const reason = { code, params: examples[code] } as Parameters<typeof renderPhrase>[0];
      const phrase = renderPhrase(reason);
      const clause = renderClause(reason);
      for (const text of [phrase, clause]) {
        expect(text).to.match(/\S/);
        expect(text).to.not.match(/undefined|NaN|\[object|\{|\}/);
      }
      expect(phrase[0], 'a phrase starts with a capital').to.equal(phrase[0].toUpperCase());
      expect(clause[0], 'a clause continues a sentence').to.equal(clause[0].toLowerCase());
      const merchant = reasonTemplates[code].merchant;
      expect(merchant, 'the merchant view names no shopper-specific value').to.match(/^[a-z][^{}0-9]*[a-z)]$/);
      expect(sentenceTemplates.heldBackBy(code)).to.equal(`Held back by: ${merchant}.`);
      const params = examples[code] as unknown as Record<string, unknown>;
      if (code === 'bought-with' || code === 'unlike-purchase') expect(phrase, 'names the past purchase').to.include(params.name);
      if (typeof params.category === 'string') expect(phrase).to.include(params.category);
    });
  }

  it('says why a response is not personalised: the shopper turned it off, asked not to be targeted, sent GPC, or was never asked', () => {
    expect(sentenceTemplates.nonPersonalized([], 'opted-out')).to.equal('Not personalised, as you turned personalisation off: a popular choice across our stores.');
    expect(sentenceTemplates.nonPersonalized(['it is new in store'], 'global-privacy-control')).to.equal('Not personalised, as your browser sent the Global Privacy Control signal: shown because it is new in store.');
    expect(sentenceTemplates.nonPersonalized([], 'consent-never-asked')).to.match(/^Not personalised, as you have not been asked/);
    expect(renderPhrase({ code: 'opted-out', params: {} })).to.equal('Not personalised: you turned personalisation off');
  });

  it('says in the store ranking\'s sentence that the model was switched off, with and without clauses', () => {
    expect(sentenceTemplates.modelWithdrawn([])).to.equal('Not personalised: the recommendation model was switched off, so this comes from the store’s catalogue.');
    expect(sentenceTemplates.modelWithdrawn(['it is on promotion at your store'])).to.match(/switched off, .* shown because it is on promotion at your store\.$/);
  });
});
