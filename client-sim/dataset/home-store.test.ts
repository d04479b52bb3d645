import { expect } from 'chai';
import { pickHomeStore } from './home-store.ts';

describe('pickHomeStore', () => {
  it('picks the store with the most rows', () => {
    expect(pickHomeStore([{ store: 0, rows: 1, firstDay: 0 }, { store: 1, rows: 3, firstDay: 9 }])).to.equal(1);
  });

  it('breaks a tie by the earliest purchase, then by the order given', () => {
    expect(pickHomeStore([{ store: 0, rows: 2, firstDay: 5 }, { store: 1, rows: 2, firstDay: 3 }])).to.equal(1);
    expect(pickHomeStore([{ store: 4, rows: 2, firstDay: 3 }, { store: 1, rows: 2, firstDay: 3 }])).to.equal(4);
  });

  it('refuses a customer with no visits', () => {
    expect(() => pickHomeStore([])).to.throw(/no visits/);
  });
});
