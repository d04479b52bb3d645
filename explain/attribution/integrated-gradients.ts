/**
 * Integrated Gradients (Sundararajan et al. 2017): φ_i = (x_i − x'_i) ∫₀¹ ∂F/∂x_i (x' + α (x − x')) dα
 * along the straight path from the baseline input x' (every concept absent, z = 0) to the actual input
 * (z = 1) of the relaxed model in `relaxed-concept-model.ts`. The integral is a midpoint Riemann sum
 * over `steps` points (the midpoint rule never evaluates the path's end z = 0, where the price profile
 * is 0/0). Completeness (their Prop. 1) says Σ φ = F(x) − F(x'); the sum's shortfall is reported as
 * `completenessError`, which is how IG is held to the explainer contract. IG is not the Shapley value
 * of this model: see the price-fit note in the relaxed model.
 */
import type { ConceptGame } from './concept-game.ts';
import type { Attribution, Explainer } from './explainer.ts';
import { relaxedConceptModel } from './relaxed-concept-model.ts';

/** Sundararajan et al. report 20 to 300 steps suffice for completeness within 5%; our integrand is smooth and cheap. */
const defaultSteps = 64;

export class IntegratedGradients implements Explainer {
  readonly method = 'integrated-gradients' as const;

  constructor(private readonly steps = defaultSteps) {
    if (!(Number.isInteger(steps) && steps > 0)) throw new Error(`IntegratedGradients: steps must be a positive whole number, got ${steps}`);
  }

  explain(game: ConceptGame): Attribution {
    const model = relaxedConceptModel(game);
    const n = game.players.length;
    const point = new Float64Array(n);
    const gradient = new Float64Array(n);
    const contributions = new Float64Array(n);
    for (let step = 0; step < this.steps; step++) {
      point.fill((step + 0.5) / this.steps);
      model.gradient(point, gradient);
      // (x − x') = 1 for every player, so each step adds ∂F/∂z_i · Δα.
      for (let p = 0; p < n; p++) contributions[p] += gradient[p] / this.steps;
    }
    const baseline = model.value(new Float64Array(n));
    const value = model.value(new Float64Array(n).fill(1));
    let sum = 0;
    for (const c of contributions) sum += c;
    return { method: this.method, baseline, contributions, completenessError: Math.abs(sum - (value - baseline)) };
  }
}
