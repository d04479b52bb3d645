/**
 * The server's step from the round's aggregate update Δ (a pseudo-gradient pointing downhill):
 * - FedAvg applies w ← w + η Δ (McMahan et al. 2017);
 * - FedAvgM keeps a momentum m ← β m + Δ and applies w ← w + η m (Hsu et al. 2019, "Measuring the
 *   effects of non-identical data distribution for federated visual classification"; with DP, the
 *   momentum variant of DP-FedAvg in McMahan et al. 2018, "Learning differentially private
 *   recurrent language models", Alg. 1 with a momentum server optimizer);
 * - FedAdam keeps Adam moments of Δ and applies w ← w + η m / (√v + τ) (Reddi et al. 2021,
 *   "Adaptive Federated Optimization", Alg. 2).
 * Each reads only the noised, released average, so its state costs no privacy (post-processing).
 *
 * A step is staged: `apply` writes the candidate weights and holds the next state, and `commit`
 * adopts it once the round is released. A round refused after its step (weights beyond the bound,
 * the budget spent meanwhile) leaves the optimizer as it was, as it leaves the weights.
 * Plain typed-array loops: these run once per round over every parameter. Δ arrives in float64
 * (the noisy round sum is never rounded before this); the released weights are where it is.
 */
import type { JobConfig } from './job-config.ts';

export interface ServerOptimizer {
  /**
   * Adds the step for `delta` to `weights` (a candidate copy) and stages the optimizer's next state.
   * Each coordinate's step uses the learning rate times its entry of the job's scale vector, if any
   * (learning-rate-scales.ts).
   */
  apply(weights: Float32Array, delta: Float64Array | Float32Array): void;
  /**
   * The state `commit` would adopt, for the store to keep with the round (`completeRound`), or
   * undefined when the weights already say all (FedAvg; FedAvgM reads its momentum back from them).
   */
  stagedState(): Float32Array | undefined;
  /** Adopts the state staged by the last `apply`: called once that step's weights are released. */
  commit(): void;
}

/** What a resumed job's optimizer continues from (server/rounds/resume-optimizer.ts). */
export interface ResumedOptimizerState {
  /** FedAvgM's momentum, read back from the last released step. */
  momentum?: Float64Array;
  /** FedAdam's moments as stored with the last released round: m, then v. */
  adamMoments?: Float32Array;
}

/** The learning rate of coordinate i: the rate, times its scale when the job scales some parameters. */
const rateAt = (learningRate: number, scales: Float32Array | undefined, i: number): number => (scales ? learningRate * scales[i] : learningRate);

function checkScales(name: string, scales: Float32Array | undefined, weights: Float32Array): void {
  if (scales && scales.length !== weights.length) throw new Error(`${name}: the learning-rate scales hold ${scales.length} values, model has ${weights.length}`);
}

export function fedAvg(learningRate: number, scales?: Float32Array): ServerOptimizer {
  return {
    apply(weights, delta) {
      checkScales('fedAvg', scales, weights);
      for (let i = 0; i < weights.length; i++) weights[i] += rateAt(learningRate, scales, i) * delta[i];
    },
    stagedState: () => undefined,
    commit() {},
  };
}

/**
 * FedAvgM: heavy-ball momentum on the server. `initial` is the momentum to continue from (a resumed
 * job's, `momentumFromStep`); absent, it starts at 0, so the first step is plain FedAvg.
 * @example const optimizer = fedAvgM(1, 0.9); optimizer.apply(candidate, delta); optimizer.commit();
 */
export function fedAvgM(learningRate: number, beta: number, initial?: Float64Array, scales?: Float32Array): ServerOptimizer {
  let m = initial;
  let staged: Float64Array | undefined;
  return {
    apply(weights, delta) {
      if (m && m.length !== weights.length) throw new Error(`fedAvgM: momentum has ${m.length} values, model has ${weights.length}`);
      checkScales('fedAvgM', scales, weights);
      staged = new Float64Array(weights.length);
      for (let i = 0; i < weights.length; i++) {
        staged[i] = beta * (m ? m[i] : 0) + delta[i];
        weights[i] += rateAt(learningRate, scales, i) * staged[i];
      }
    },
    stagedState: () => undefined,
    commit() {
      if (staged) m = staged;
      staged = undefined;
    },
  };
}

/**
 * The FedAvgM momentum after a released step, read back from the step's two weight versions:
 * w_t = w_{t−1} + η m_t, so m_t = (w_t − w_{t−1}) / η (η per coordinate, with the job's scales). The weights are what the job persists, so a
 * resumed job continues its momentum without storing it; the one difference from an unbroken run
 * is the float32 rounding of w_t, at most half an ulp of each weight divided by η.
 * @example const m = momentumFromStep(base.values, latest.values, config.serverLearningRate);
 */
export function momentumFromStep(before: Float32Array, after: Float32Array, learningRate: number, scales?: Float32Array): Float64Array {
  if (before.length !== after.length) throw new Error(`momentumFromStep: the weights before hold ${before.length} values, after ${after.length}`);
  checkScales('momentumFromStep', scales, after);
  const m = new Float64Array(after.length);
  for (let i = 0; i < after.length; i++) m[i] = (after[i] - before[i]) / rateAt(learningRate, scales, i);
  return m;
}

/**
 * FedAdam. `initial` is a resumed job's moments as `stagedState` gave them (m, then v, float32 as
 * held), so a resumed job steps exactly as an unbroken one; absent, m starts at 0 and v at τ².
 * @example const optimizer = fedAdam(0.02, { beta1: 0.9, beta2: 0.99, tau: 1e-3 }); optimizer.apply(candidate, delta); store(optimizer.stagedState()); optimizer.commit();
 */
export function fedAdam(learningRate: number, options: { beta1: number; beta2: number; tau: number }, initial?: Float32Array, scales?: Float32Array): ServerOptimizer {
  let m: Float32Array | undefined = initial?.slice(0, initial.length / 2);
  let v: Float32Array | undefined = initial?.slice(initial.length / 2);
  let staged: { m: Float32Array; v: Float32Array } | undefined;
  return {
    apply(weights, delta) {
      if (m && m.length !== weights.length) throw new Error(`fedAdam: moments hold ${m.length} values each, model has ${weights.length}`);
      checkScales('fedAdam', scales, weights);
      // Reddi et al. initialise v to τ², so the first steps are not divided by ~0.
      const nextM = m ? m.slice() : new Float32Array(weights.length);
      const nextV = v ? v.slice() : new Float32Array(weights.length).fill(options.tau * options.tau);
      const { beta1, beta2, tau } = options;
      for (let i = 0; i < weights.length; i++) {
        nextM[i] = beta1 * nextM[i] + (1 - beta1) * delta[i];
        nextV[i] = beta2 * nextV[i] + (1 - beta2) * delta[i] * delta[i];
        weights[i] += (rateAt(learningRate, scales, i) * nextM[i]) / (Math.sqrt(nextV[i]) + tau);
      }
      staged = { m: nextM, v: nextV };
    },
    stagedState() {
      if (!staged) return undefined;
      const state = new Float32Array(staged.m.length * 2);
      state.set(staged.m);
      state.set(staged.v, staged.m.length);
      return state;
    },
    commit() {
      if (staged) ({ m, v } = staged);
      staged = undefined;
    },
  };
}

/**
 * The optimizer a job's config names; `resumed` continues a resumed job's state (the coordinator
 * reads it with `resumeOptimizerState`); `scales` is the per-coordinate multiplier of the rate
 * (`learningRateScaleVector` of the job's `serverLearningRateScales`), absent when none is scaled.
 * @example serverOptimizerFor({ serverOptimizer: 'fedavgm', serverLearningRate: 1, serverMomentum: 0.9, adam })
 */
export function serverOptimizerFor(config: Pick<JobConfig, 'serverOptimizer' | 'serverLearningRate' | 'serverMomentum' | 'adam'>, resumed: ResumedOptimizerState = {}, scales?: Float32Array): ServerOptimizer {
  switch (config.serverOptimizer) {
    case 'fedavg':
      return fedAvg(config.serverLearningRate, scales);
    case 'fedavgm':
      return fedAvgM(config.serverLearningRate, config.serverMomentum, resumed.momentum, scales);
    case 'fedadam':
      return fedAdam(config.serverLearningRate, config.adam, resumed.adamMoments, scales);
  }
}
