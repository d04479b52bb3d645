import { expect } from 'chai';
import { reason, type Reason } from './reason-codes.ts';
import { reasonSentence, type AttributedReason } from './reason-sentence.ts';

const bought = (name: string, contribution: number): AttributedReason => ({ ...reason('bought-with', { itemId: name, name }), contribution });
const promotion = (contribution: number): AttributedReason => ({ ...reason('on-promotion', {}), contribution });
const store = (contribution: number): AttributedReason => ({ ...reason('store-trend', { storeId: 'store-01' }), contribution });
const novelty = (contribution: number): AttributedReason => ({ ...reason('new-arrival', {}), contribution });
const pricey: AttributedReason = { ...reason('price-above-usual', { price: 9, usualPrice: 2 }), contribution: -0.8 };

const sentence = (attributed: AttributedReason[], personalized = true): string => reasonSentence(attributed, personalized).sentence;

describe('reason sentence', () => {
  it('0 positive reasons: a neutral sentence, never a negative one', () => {
    expect(sentence([])).to.equal('A popular choice across our stores.');
    expect(sentence([pricey, { ...reason('store-unpopular', { storeId: 's' }), contribution: -0.1 }])).to.equal('A popular choice across our stores.');
  });

  it('1 reason', () => {
    expect(sentence([promotion(0.4), pricey])).to.equal('Because it is on promotion at your store.');
    expect(sentence([bought('Organic Oats 1kg', 0.2)])).to.equal('Because you bought Organic Oats 1kg.');
  });

  it('2 reasons', () => {
    expect(sentence([store(0.1), promotion(0.4)])).to.equal('Because it is on promotion at your store, and it is popular at your store.');
    expect(sentence([bought('Greek Yogurt 500g', 0.5), bought('Organic Oats', 0.3)])).to.equal('Because you bought Greek Yogurt 500g and Organic Oats.');
  });

  it('3 reasons, two of them purchases sharing one clause (the example of the issue)', () => {
    const attributed = [promotion(0.2), bought('Organic Oats', 0.3), bought('Greek Yogurt 500g', 0.5), pricey];
    expect(sentence(attributed)).to.equal('Because you bought Greek Yogurt 500g and Organic Oats, and it is on promotion at your store.');
  });

  it('3+ reasons: the top three, naming at most two past purchases', () => {
    const attributed = [bought('A', 0.9), bought('B', 0.8), bought('C', 0.7), store(0.6), novelty(0.5), promotion(0.1)];
    const { sentence: text, reasons, chosen } = reasonSentence(attributed, true);
    expect(text).to.equal('Because you bought A and B, and it is popular at your store.');
    expect(reasons).to.deep.equal([reason('bought-with', { itemId: 'A', name: 'A' }), reason('bought-with', { itemId: 'B', name: 'B' }), reason('store-trend', { storeId: 'store-01' })]);
    expect(chosen).to.deep.equal([attributed[0], attributed[1], attributed[3]]);
    expect(chosen[0]).to.equal(attributed[0], 'the entries themselves, not copies');
    expect(sentence([store(0.6), novelty(0.5), promotion(0.1), bought('A', 0.05)])).to.equal(
      'Because it is popular at your store, it is new in store, and it is on promotion at your store.',
    );
  });

  it('without consent: says so, and still gives the non-personal reasons', () => {
    const attributed = [store(0.3), promotion(0.1)];
    const { sentence: text, reasons, chosen } = reasonSentence(attributed, false);
    expect(chosen).to.deep.equal(attributed);
    expect(text).to.equal('Not personalised, as you have not opted in: shown because it is popular at your store, and it is on promotion at your store.');
    expect(reasons[0]).to.deep.equal({ code: 'non-personalized', params: {} } satisfies Reason);
    expect(sentence([], false)).to.equal('Not personalised, as you have not opted in: a popular choice across our stores.');
  });
});
