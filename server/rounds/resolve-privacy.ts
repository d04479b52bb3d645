/**
 * Turns a job's privacy settings and the population at its start into the numbers every round
 * uses: q, the fixed denominator qN, σ for the update sum and the σ the accountant records (which
 * includes adaptive clipping's count query, Andrew et al. 2021 Thm. 1).
 */
import { FedrecError } from '../errors/index.ts';
import { PrivacyAccountant, calibrateNoise, combinedNoiseMultiplier, evaluationNoiseMultiplier, type QueryPart } from '../privacy/index.ts';
import { shopperLossBound } from '../../models/training/local-update.ts';
import type { JobConfig } from './job-config.ts';

export type ResolvedPrivacy = {
  samplingRate: number;
  population: number;
  /** qN: the DP-FedAvg denominator, public and fixed for the job. */
  expectedShoppers: number;
  /** Whether evaluations also release the stores' baselines (absent on jobs stored before they existed: no). */
  evaluationBaselines?: boolean;
} & (
  | { mode: 'none'; clipNorm: null; accountedNoiseMultiplier: 0 }
  | {
      mode: 'dp';
      clipNorm: number;
      /** σ on the update sum: noise std is σ · C. */
      noiseMultiplier: number;
      /**
       * What a round's training release costs in the accountant: σ_eff of the update, its loss sum
       * and (with adaptive clipping) the count, as one vector query (`combinedNoiseMultiplier`).
       */
      accountedNoiseMultiplier: number;
      /** m, and the loss bound L its loss noise is scaled to (server/privacy/metric-release.ts). */
      metricNoiseMultiplier: number;
      lossBound: number;
      /** q_e of the evaluation cohort and the σ its release is accounted with (m / √3, or m / √7 with the baselines). */
      evaluationSamplingRate: number;
      evaluationNoiseMultiplier: number;
      delta: number;
      /** The job stops before exceeding this; null when the job was given σ instead of ε. */
      budgetEpsilon: number | null;
      adaptive: { targetQuantile: number; learningRate: number; countNoiseStd: number } | null;
    }
);

/**
 * Resolves the job's privacy when it is created, and refuses there (400, naming the field) any
 * setting the accountant or the calibration cannot serve for every one of its rounds, so no such
 * error can surface mid-job. `population` is the sum of the connected clients' registered ones.
 * @example resolvePrivacy(config, 4000) // { mode: 'dp', samplingRate: 0.05, noiseMultiplier: 1.23, … }
 */
export function resolvePrivacy(config: JobConfig, population: number): ResolvedPrivacy {
  const resolved = atField(config.privacy.mode === 'dp' && config.privacy.targetEpsilon !== undefined ? 'privacy.targetEpsilon' : 'privacy.noiseMultiplier', () => resolveNumbers(config, population));
  if (resolved.mode === 'dp') {
    // The whole job's spend, computed now: what the accountant will be asked after every round.
    atField('privacy.noiseMultiplier', () => {
      const accountant = new PrivacyAccountant();
      accountant.record({ q: resolved.samplingRate, sigma: resolved.accountedNoiseMultiplier }, config.rounds);
      accountant.record({ q: resolved.evaluationSamplingRate, sigma: resolved.evaluationNoiseMultiplier }, evaluationRounds(config));
      const { epsilon } = accountant.spent(resolved.delta);
      if (!Number.isFinite(epsilon)) throw new FedrecError('invalid-input', `the job would spend ε = ${epsilon} over its ${config.rounds} rounds`);
    });
  }
  return resolved;
}

/** Runs `compute`, turning an invalid-input failure into one that names `field` of the job config. */
function atField<T>(field: string, compute: () => T): T {
  try {
    return compute();
  } catch (thrown) {
    // Whatever the calibration or the accountant cannot compute for these settings (an invalid
    // value, a series that does not converge) is the settings' fault, refused now, not mid-job.
    if (thrown instanceof FedrecError && thrown.code !== 'invalid-input') throw thrown;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const path = ['config', ...field.split('.')];
    throw new FedrecError('invalid-input', `config.${field}: ${message}`, [{ path, message, code: 'custom' }]);
  }
}

function resolveNumbers(config: JobConfig, population: number): ResolvedPrivacy {
  if (!(population > 0)) throw new FedrecError('unavailable', 'no shoppers are connected: start store clients before the job');
  const samplingRate = config.samplingRate ?? Math.min(1, config.expectedShoppersPerRound! / population);
  const expectedShoppers = samplingRate * population;
  const base = { samplingRate, population, expectedShoppers, evaluationBaselines: config.evaluationBaselines };
  const privacy = config.privacy;
  if (privacy.mode === 'none') return { ...base, mode: 'none', clipNorm: null, accountedNoiseMultiplier: 0 };
  const countNoiseStd = privacy.adaptiveClipping ? privacy.adaptiveClipping.countNoiseFraction * expectedShoppers : null;
  const m = privacy.metricNoiseMultiplier;
  const lossBound = shopperLossBound;
  // The training release's parts besides the update (noise multiplier σ_z on sensitivity 1 after
  // dividing by C): the loss sum, and adaptive clipping's centred count (sensitivity ½, std σ_b).
  const otherParts: QueryPart[] = [{ sensitivity: lossBound, std: m * lossBound }];
  if (countNoiseStd !== null) otherParts.push({ sensitivity: 0.5, std: countNoiseStd });
  const accountedFor = (sigmaZ: number): number => combinedNoiseMultiplier([{ sensitivity: 1, std: sigmaZ }, ...otherParts]);
  const evaluationSamplingRate = privacy.evaluationSamplingRate ?? samplingRate;
  const evaluationSigma = evaluationNoiseMultiplier(m, config.evaluationBaselines);
  let noiseMultiplier: number;
  let accounted: number;
  if (privacy.targetEpsilon !== undefined) {
    const evaluations = [{ q: evaluationSamplingRate, sigma: evaluationSigma, steps: evaluationRounds(config) }];
    accounted = calibrateNoise({ targetEpsilon: privacy.targetEpsilon, delta: privacy.delta, q: samplingRate, rounds: config.rounds, fixed: evaluations });
    noiseMultiplier = updateNoiseFor(accounted, otherParts);
  } else {
    noiseMultiplier = privacy.noiseMultiplier!;
    accounted = accountedFor(noiseMultiplier);
  }
  return {
    ...base,
    mode: 'dp',
    clipNorm: privacy.clipNorm,
    noiseMultiplier,
    accountedNoiseMultiplier: accounted,
    delta: privacy.delta,
    metricNoiseMultiplier: m,
    lossBound,
    evaluationSamplingRate,
    evaluationNoiseMultiplier: evaluationSigma,
    budgetEpsilon: privacy.targetEpsilon ?? null,
    adaptive: privacy.adaptiveClipping && countNoiseStd !== null ? { targetQuantile: privacy.adaptiveClipping.targetQuantile, learningRate: privacy.adaptiveClipping.learningRate, countNoiseStd } : null,
  };
}

/** Rounds of a job that evaluate: every `evaluateEvery`-th, and the last. */
export function evaluationRounds(config: Pick<JobConfig, 'rounds' | 'evaluateEvery'>): number {
  return Math.floor(config.rounds / config.evaluateEvery) + (config.rounds % config.evaluateEvery === 0 ? 0 : 1);
}

/**
 * σ_z for the update so that the whole training release has noise multiplier `accounted`:
 * σ_z⁻² = σ⁻² − Σ (Δ_k / s_k)² over the other parts (the inverse of `combinedNoiseMultiplier`;
 * with the count alone it is Andrew et al.'s `updateNoiseMultiplierFor`).
 */
function updateNoiseFor(accounted: number, otherParts: readonly QueryPart[]): number {
  const rest = otherParts.reduce((sum, { sensitivity, std }) => sum + (sensitivity / std) ** 2, 0);
  const left = accounted ** -2 - rest;
  if (!(left > 0)) {
    throw new FedrecError('invalid-input', `the metric and count queries alone need noise multiplier ${rest ** -0.5} < ${accounted}: raise metricNoiseMultiplier or countNoiseFraction, or the budget`);
  }
  return left ** -0.5;
}
