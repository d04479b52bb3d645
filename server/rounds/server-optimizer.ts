/**
 * The server's step from the round's aggregate update Δ (a pseudo-gradient pointing downhill):
 * FedAvg applies w ← w + η Δ (McMahan et al. 2017); FedAdam keeps Adam moments of Δ and applies
 * w ← w + η m / (√v + τ) (Reddi et al. 2021, "Adaptive Federated Optimization", Alg. 2).
 * Plain typed-array loops: these run once per round over every parameter. Δ arrives in float64
 * (the noisy round sum is never rounded before this); the released weights are where it is.
 */
export interface ServerOptimizer {
  apply(weights: Float32Array, delta: Float64Array | Float32Array): void;
}

export function fedAvg(learningRate: number): ServerOptimizer {
  return {
    apply(weights, delta) {
      for (let i = 0; i < weights.length; i++) weights[i] += learningRate * delta[i];
    },
  };
}

export function fedAdam(learningRate: number, options: { beta1: number; beta2: number; tau: number }): ServerOptimizer {
  let m: Float32Array | undefined;
  let v: Float32Array | undefined;
  return {
    apply(weights, delta) {
      m ??= new Float32Array(weights.length);
      // Reddi et al. initialise v to τ², so the first steps are not divided by ~0.
      v ??= new Float32Array(weights.length).fill(options.tau * options.tau);
      const { beta1, beta2, tau } = options;
      for (let i = 0; i < weights.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * delta[i];
        v[i] = beta2 * v[i] + (1 - beta2) * delta[i] * delta[i];
        weights[i] += (learningRate * m[i]) / (Math.sqrt(v[i]) + tau);
      }
    },
  };
}
