/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008,
 * "Collaborative filtering for implicit feedback datasets"): preference p_ui = 1 if u bought i,
 * confidence c_ui = 1 + α·r_ui with r_ui the purchase count, and the loss
 *   Σ_ui c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u n_u^w ‖x_u‖² + Σ_i n_i^w ‖y_i‖²),
 * where w = 1 gives the weighted-λ regularisation of Zhou et al. 2008 (ALS-WR: λ scaled by the
 * number of observed entries) and w = 0 plain HKV. Each row solve is HKV Eq. 4,
 *   x_u = (YᵀY + Yᵀ(C_u − I)Y + λ n_u^w I)⁻¹ Yᵀ C_u p(u),
 * using the precomputed YᵀY so a row costs O(n_u f² + f³); the f×f system is solved by Cholesky
 * (ml-matrix). A held-out shopper is folded in by the same solve over their history, so the ranker
 * needs no shopper id. This is the non-private, pooled model a retailer runs today.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Shopper } from '../data/retail-world.ts';
import { SeededRandom } from '../data/seeded-random.ts';
import { topK } from '../recommender/top-k.ts';
import type { Ranker, RankingQuery } from './ranker.ts';

export interface AlsOptions {
  factors: number;
  /** λ. */
  regularization: number;
  /** α in c = 1 + α·count. */
  alpha: number;
  iterations: number;
  /** Scale λ by each row's observed entries (Zhou et al. 2008). */
  weighted: boolean;
  seed: number;
}

/** Chosen on the validation split of Online Retail II (see README, Measured). */
export const defaultAlsOptions: AlsOptions = { factors: 64, regularization: 0.1, alpha: 10, iterations: 10, weighted: true, seed: 1 };

/** One row's observed entries: column indices and purchase counts. */
export interface SparseRow {
  indices: Int32Array;
  counts: Float64Array;
}

/**
 * Solves one row of HKV Eq. 4 given the other side's factors `other` (rows × f, row-major) and
 * their Gram matrix `gram` = otherᵀ·other (f × f).
 * @example solveRow(itemFactors, gram, f, { indices, counts }, options)
 */
export function solveRow(other: Float64Array, gram: Float64Array, f: number, row: SparseRow, options: Pick<AlsOptions, 'regularization' | 'alpha' | 'weighted'>): Float64Array {
  const a = Float64Array.from(gram);
  const b = new Float64Array(f);
  const ridge = options.regularization * (options.weighted ? Math.max(1, row.indices.length) : 1);
  for (let d = 0; d < f; d++) a[d * f + d] += ridge;
  for (let n = 0; n < row.indices.length; n++) {
    const y = other.subarray(row.indices[n] * f, (row.indices[n] + 1) * f);
    const extra = options.alpha * row.counts[n]; // c − 1
    for (let p = 0; p < f; p++) {
      b[p] += (1 + extra) * y[p];
      const ep = extra * y[p];
      for (let q = p; q < f; q++) a[p * f + q] += ep * y[q];
    }
  }
  // Upper triangle accumulated, mirrored: ml-matrix's Cholesky requires exact symmetry.
  for (let p = 0; p < f; p++) for (let q = 0; q < p; q++) a[p * f + q] = a[q * f + p];
  const rows: number[][] = Array.from({ length: f }, (_, p) => Array.from(a.subarray(p * f, (p + 1) * f)));
  const solution = new CholeskyDecomposition(new Matrix(rows)).solve(Matrix.columnVector(Array.from(b)));
  return Float64Array.from(solution.getColumn(0));
}

/** otherᵀ·other for a rows × f row-major matrix. */
export function gramMatrix(factors: Float64Array, f: number): Float64Array {
  const gram = new Float64Array(f * f);
  for (let r = 0; r < factors.length / f; r++) {
    const y = factors.subarray(r * f, (r + 1) * f);
    for (let p = 0; p < f; p++) for (let q = p; q < f; q++) gram[p * f + q] += y[p] * y[q];
  }
  for (let p = 0; p < f; p++) for (let q = 0; q < p; q++) gram[p * f + q] = gram[q * f + p];
  return gram;
}

/** Purchase counts per distinct item of a list of purchases. */
export function sparseRow(items: readonly number[]): SparseRow {
  const counts = new Map<number, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return { indices: Int32Array.from(counts.keys()), counts: Float64Array.from(counts.values()) };
}

export interface AlsModel extends Ranker {
  itemFactors: Float64Array;
  userFactors: Float64Array;
  factors: number;
}

/**
 * Fits implicit ALS on the training purchases and ranks a query by folding its history in.
 * @example evaluateRanker(implicitAls(split.train, world.catalog.length), split.validation)
 */
export function implicitAls(train: readonly Shopper[], itemCount: number, options: AlsOptions = defaultAlsOptions): AlsModel {
  const f = options.factors;
  const users = train.map((s) => sparseRow(s.items));
  // The transpose: each item's buyers and counts.
  const itemLists: { users: number[]; counts: number[] }[] = Array.from({ length: itemCount }, () => ({ users: [], counts: [] }));
  users.forEach((row, u) => row.indices.forEach((i, n) => {
    itemLists[i].users.push(u);
    itemLists[i].counts.push(row.counts[n]);
  }));
  const items: SparseRow[] = itemLists.map((l) => ({ indices: Int32Array.from(l.users), counts: Float64Array.from(l.counts) }));
  const rng = new SeededRandom(options.seed);
  const userFactors = Float64Array.from({ length: users.length * f }, () => 0.01 * rng.normal());
  const itemFactors = Float64Array.from({ length: itemCount * f }, () => 0.01 * rng.normal());
  const sweep = (target: Float64Array, rows: SparseRow[], other: Float64Array): void => {
    const gram = gramMatrix(other, f);
    rows.forEach((row, r) => target.set(row.indices.length === 0 ? new Float64Array(f) : solveRow(other, gram, f, row, options), r * f));
  };
  for (let it = 0; it < options.iterations; it++) {
    sweep(userFactors, users, itemFactors);
    sweep(itemFactors, items, userFactors);
  }
  const gram = gramMatrix(itemFactors, f);
  const scores = new Float64Array(itemCount);
  return {
    name: 'implicit ALS',
    itemFactors,
    userFactors,
    factors: f,
    rank(q: RankingQuery, k: number): number[] {
      const row = sparseRow(q.history);
      const x = row.indices.length === 0 ? new Float64Array(f) : solveRow(itemFactors, gram, f, row, options);
      for (let i = 0; i < itemCount; i++) {
        let s = 0;
        for (let d = 0; d < f; d++) s += x[d] * itemFactors[i * f + d];
        scores[i] = s;
      }
      return topK(scores, k);
    },
  };
}
