/**
 * Shapley values by definition (Shapley 1953): every one of the 2^n coalitions is scored through the
 * masked model (`coalitionValue`, i.e. `ConceptScorer.scoreMasked`), and
 *
 *   φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)).
 *
 * Exponential, so only for tests and audits of small cases; it assumes nothing about the model, which
 * is what makes it the reference for the closed form.
 */
import { coalitionValue, type ConceptGame } from './concept-game.ts';
import type { Attribution, Explainer } from './explainer.ts';

/** 2^16 coalitions of masked scoring take well under a second; beyond that use the closed form. */
const defaultMaxPlayers = 16;

export class BruteForceShapley implements Explainer {
  readonly method = 'brute-force-shapley' as const;

  constructor(private readonly maxPlayers = defaultMaxPlayers) {}

  explain(game: ConceptGame): Attribution {
    const n = game.players.length;
    if (n > this.maxPlayers) throw new Error(`BruteForceShapley: ${n} players means 2^${n} coalitions; the limit is ${this.maxPlayers} players`);
    const values = new Float64Array(1 << n);
    for (let coalition = 0; coalition < values.length; coalition++) values[coalition] = coalitionValue(game, (p) => (coalition & (1 << p)) !== 0);
    const weight = shapleyWeights(n);
    const contributions = new Float64Array(n);
    for (let coalition = 0; coalition < values.length; coalition++) {
      const size = popCount(coalition);
      for (let p = 0; p < n; p++) {
        const bit = 1 << p;
        if (coalition & bit) continue;
        contributions[p] += weight[size] * (values[coalition | bit] - values[coalition]);
      }
    }
    const baseline = values[0];
    let sum = baseline;
    for (const c of contributions) sum += c;
    return { method: this.method, baseline, contributions, completenessError: Math.abs(sum - values[values.length - 1]) };
  }
}

/** weight[s] = s! (n − s − 1)! / n!, in doubles (exact for n ≤ 18, where n! < 2^53). */
function shapleyWeights(n: number): Float64Array {
  const factorial = new Float64Array(n + 1);
  factorial[0] = 1;
  for (let i = 1; i <= n; i++) factorial[i] = factorial[i - 1] * i;
  const weight = new Float64Array(Math.max(n, 1));
  for (let s = 0; s < n; s++) weight[s] = (factorial[s] * factorial[n - s - 1]) / factorial[n];
  return weight;
}

function popCount(x: number): number {
  let count = 0;
  for (let v = x; v; v &= v - 1) count++;
  return count;
}
