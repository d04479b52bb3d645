import { expect } from 'chai';
import fc from 'fast-check';
import { clipUpdate } from './clip-update.ts';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('clipUpdate', () => {
  it('bounds every shopper contribution by C, leaves short updates unchanged, and keeps direction (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        (values, clipNorm) => {
          const update = Float32Array.from(values);
          const before = update.slice();
          const reported = clipUpdate(update, clipNorm);
          expect(reported).to.be.closeTo(norm(before), 1e-6 * Math.max(1, norm(before)));
          expect(norm(update)).to.be.at.most(clipNorm);
          if (norm(before) <= clipNorm) expect(update).to.deep.equal(before);
          // Scaling never flips a coordinate's sign (a denormal may underflow to zero).
          else for (let i = 0; i < update.length; i++) expect(update[i] * before[i]).to.be.at.least(0);
        },
      ),
    );
  });

  it('the sum of clipped shoppers passes the coordinator norm bound (shoppers × C)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ min: -50, max: 50, noNaN: true }), { minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 40 }), (shoppers) => {
        const sum = new Float32Array(16);
        for (const s of shoppers) {
          const u = Float32Array.from(s);
          clipUpdate(u, 0.7);
          for (let i = 0; i < 16; i++) sum[i] += u[i];
        }
        expect(norm(sum)).to.be.at.most(shoppers.length * 0.7 * (1 + 1e-4));
      }),
    );
  });
});
