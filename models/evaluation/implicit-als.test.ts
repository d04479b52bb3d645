import { expect } from 'chai';
import { inverse, Matrix } from 'ml-matrix';
import { SeededRandom } from '../data/seeded-random.ts';
import type { Shopper } from '../data/retail-world.ts';
import { gramMatrix, implicitAls, solveRow, sparseRow } from './implicit-als.ts';

describe('implicit ALS (Hu, Koren & Volinsky 2008)', () => {
  for (const weighted of [false, true]) {
    it(`a row solve equals the direct solve of the full normal equations (YᵀC_uY + λI)⁻¹YᵀC_u p(u)${weighted ? ', weighted λ' : ''}`, () => {
      const rng = new SeededRandom(4);
      const itemCount = 7;
      const f = 3;
      const y = Float64Array.from({ length: itemCount * f }, () => rng.normal());
      const history = [1, 4, 4, 6, 1, 4];
      const options = { regularization: 0.3, alpha: 2.5, weighted };
      const fast = solveRow(y, gramMatrix(y, f), f, sparseRow(history), options);

      // The dense form of HKV Eq. 4, with the n × n confidence matrix C_u and preference vector p(u).
      const counts = new Array(itemCount).fill(0);
      for (const i of history) counts[i]++;
      const Y = new Matrix(Array.from({ length: itemCount }, (_, i) => Array.from(y.subarray(i * f, (i + 1) * f))));
      const C = Matrix.diag(counts.map((r) => 1 + options.alpha * r));
      const p = Matrix.columnVector(counts.map((r) => (r > 0 ? 1 : 0)));
      const lambda = options.regularization * (weighted ? 3 : 1); // 3 distinct items
      const A = Y.transpose().mmul(C).mmul(Y).add(Matrix.eye(f).mul(lambda));
      const direct = inverse(A).mmul(Y.transpose().mmul(C).mmul(p)).getColumn(0);
      for (let d = 0; d < f; d++) expect(fast[d]).to.be.closeTo(direct[d], 1e-10);
    });
  }

  it('recovers block tastes: a history in one block ranks that block\'s items first', () => {
    // Two groups of shoppers, each buying a random half of its own 6-item block.
    const rng = new SeededRandom(9);
    const train: Shopper[] = Array.from({ length: 40 }, (_, s) => {
      const block = s % 2;
      const items = Array.from({ length: 6 }, (_, k) => block * 6 + k).filter(() => rng.next() < 0.5);
      if (items.length === 0) items.push(block * 6);
      return { id: `s${s}`, store: 0, items, times: items.map((_, t) => t) };
    });
    const als = implicitAls(train, 12, { factors: 4, regularization: 0.05, alpha: 5, iterations: 8, weighted: false, seed: 1 });
    const ranked = als.rank({ store: 0, history: [0, 1] }, 12);
    expect(ranked.slice(0, 4).every((i) => i < 6), `ranking ${ranked.join(' ')}`).to.equal(true);
    const other = als.rank({ store: 0, history: [7, 8] }, 12);
    expect(other.slice(0, 4).every((i) => i >= 6), `ranking ${other.join(' ')}`).to.equal(true);
  });
});
