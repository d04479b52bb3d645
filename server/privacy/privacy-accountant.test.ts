import { expect } from 'chai';
import { FedrecError } from '../errors/index.ts';
import { PrivacyAccountant } from './privacy-accountant.ts';
import { computeEpsilon } from './rdp-to-epsilon.ts';

describe('PrivacyAccountant', () => {
  it('reports the ε of the rounds it recorded, as computeEpsilon does', () => {
    const accountant = new PrivacyAccountant();
    for (let t = 0; t < 1000; t++) accountant.record({ q: 0.01, sigma: 1.1 });
    expect(accountant.toJSON()).to.deep.equal({ rounds: [{ q: 0.01, sigma: 1.1, steps: 1000 }] });
    expect(accountant.spent(1e-5)).to.deep.equal(computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 1000 }], 1e-5));
    // Opacus / TF Privacy reference for this job (rdp-to-epsilon.test.ts): ε = 1.71177 at α = 9.6.
    expect(accountant.spent(1e-5).epsilon).to.be.closeTo(1.71177, 1e-5);
  });

  it('keeps rounds with different (q, σ) as separate entries, in order', () => {
    const accountant = new PrivacyAccountant();
    accountant.record({ q: 0.01, sigma: 1.1 }, 500);
    accountant.record({ q: 0.02, sigma: 0.8 }, 200);
    accountant.record({ q: 0.02, sigma: 0.8 });
    accountant.record({ q: 0.01, sigma: 1.1 });
    expect(accountant.toJSON().rounds).to.deep.equal([
      { q: 0.01, sigma: 1.1, steps: 500 },
      { q: 0.02, sigma: 0.8, steps: 201 },
      { q: 0.01, sigma: 1.1, steps: 1 },
    ]);
  });

  it('spends 0 before any round', () => {
    expect(new PrivacyAccountant().spent(1e-5).epsilon).to.equal(0);
  });

  it('answers wouldExceed for the next round without recording it', () => {
    const accountant = new PrivacyAccountant();
    accountant.record({ q: 0.01, sigma: 1.1 }, 999);
    const after = computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 1000 }], 1e-5).epsilon;
    expect(accountant.wouldExceed(after, 1e-5, { q: 0.01, sigma: 1.1 })).to.equal(false);
    expect(accountant.wouldExceed(after * (1 - 1e-9), 1e-5, { q: 0.01, sigma: 1.1 })).to.equal(true);
    expect(accountant.wouldExceed(after, 1e-5, { q: 0.01, sigma: 1.1, steps: 2 })).to.equal(true);
    expect(accountant.toJSON().rounds[0].steps).to.equal(999);
  });

  it('rebuilds bit-identically from its persisted JSON (crash recovery)', () => {
    const accountant = new PrivacyAccountant();
    accountant.record({ q: 0.01, sigma: 1.1 }, 300);
    accountant.record({ q: 0.05, sigma: 2.0 }, 40);
    const saved = JSON.stringify(accountant.toJSON());
    const rebuilt = PrivacyAccountant.fromJSON(JSON.parse(saved));
    expect(rebuilt.spent(1e-6)).to.deep.equal(accountant.spent(1e-6));
    expect(rebuilt.toJSON()).to.deep.equal(accountant.toJSON());
  });

  it('refuses malformed persisted state, listing every issue', () => {
    try {
      PrivacyAccountant.fromJSON({ rounds: [{ q: 2, sigma: -1, steps: 1.5 }] });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(FedrecError);
      expect((err as FedrecError).code).to.equal('invalid-input');
      expect((err as FedrecError).issues).to.have.length(3);
    }
  });

  it('refuses invalid rounds before storing them', () => {
    const accountant = new PrivacyAccountant();
    expect(() => accountant.record({ q: 1.5, sigma: 1 })).to.throw(FedrecError);
    expect(() => accountant.record({ q: 0.1, sigma: 1 }, -1)).to.throw(FedrecError);
    expect(accountant.toJSON().rounds).to.deep.equal([]);
  });
});
