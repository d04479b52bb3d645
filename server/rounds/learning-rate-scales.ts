/**
 * Per-parameter multipliers of the server learning rate: a job may name model parameters (by their
 * manifest name) whose server step is `scale × serverLearningRate` instead of the rate itself.
 *
 * Why: a parameter shared by every shopper (the repeat weight, the position weights, the category
 * affinities, the store terms) is moved by every sampled shopper's clipped update in every round,
 * and under FedAdam each consistently pushed coordinate moves by ~η a round whatever the push's
 * size. On the demo world's screens (README) a faster step for them was much worse and a decaying
 * one worse too, which reads as the clients' local drift pushing them (each shopper trains two
 * epochs on their own few purchases, so their update favours their own habits) rather than the
 * population's optimum; a smaller step for those few coordinates lets the data-free priors they
 * start at (`defaultModelPriors`) hold, while the item rows keep the full step. The demo job's scales were
 * chosen on the validation split (README, "The demo job on the synthetic world").
 *
 * The scales read no data, so they cost no privacy, and they are a function of the config and the
 * model's layout, so a resumed job steps exactly as an unbroken one.
 */
import { FedrecError } from '../errors/index.ts';
import type { WeightsManifest } from '../../models/weights/model-weights.ts';

/**
 * The per-coordinate multiplier of the server step, laid out as the model's values; undefined
 * when no parameter is scaled (every coordinate at 1). A name the manifest does not hold is
 * invalid input: a misspelt name would silently scale nothing.
 * @example learningRateScaleVector(weights.manifest, { repeatWeight: 0.25 })
 */
export function learningRateScaleVector(manifest: WeightsManifest, scales: Record<string, number> | undefined): Float32Array | undefined {
  const names = Object.keys(scales ?? {});
  if (names.length === 0) return undefined;
  const unknown = names.filter((name) => !manifest.parameters.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new FedrecError(
      'invalid-input',
      'serverLearningRateScales names parameters the model does not have',
      unknown.map((name) => ({ path: ['serverLearningRateScales', name], message: `no parameter "${name}" in the model (it has ${manifest.parameters.map((p) => p.name).join(', ')})`, code: 'unknown-parameter' })),
    );
  }
  const vector = new Float32Array(manifest.size).fill(1);
  for (const p of manifest.parameters) if (scales![p.name] !== undefined) vector.fill(scales![p.name], p.offset, p.offset + p.length);
  return vector;
}
