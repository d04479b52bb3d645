/**
 * Rényi DP of one step of the sampled Gaussian mechanism (SGM): each shopper is included with
 * probability q, the clipped sum (sensitivity 1 after dividing by C) gets N(0, σ²) noise.
 * Mironov, Talwar & Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
 * Sec. 3.3: RDP(α) = log(A_α) / (α − 1) with
 *   A_α = E_{z∼N(0,σ²)} [((1 − q) + q·exp((2z − 1)/(2σ²)))^α].
 * Everything is computed in log space (log-space.ts) with our own log Γ and log erfc.
 */
import { FedrecError } from '../errors/index.ts';
import { logBinomial } from './log-gamma.ts';
import { logErfc } from './log-erfc.ts';
import { logAddExp, logExpm1, logSubExp } from './log-space.ts';

/** One Poisson-sampled Gaussian query: sampling rate q and noise multiplier σ (std / clip norm). */
export interface SampledGaussian {
  q: number;
  sigma: number;
}

/**
 * RDP at one order α > 1. q = 0 is exactly 0 (no shopper's data is touched); q = 1 is the plain
 * Gaussian mechanism, exactly α / (2σ²) (Mironov 2017, "Rényi Differential Privacy", Table 2);
 * σ = 0 with q > 0 is Infinity.
 * Integer α (including 2.0 written as a float) take the exact binomial expansion, others the
 * two-series expansion.
 *
 * @example sampledGaussianRdp({ q: 1, sigma: 2 }, 4) // = 0.5
 */
export function sampledGaussianRdp({ q, sigma }: SampledGaussian, order: number): number {
  if (!(q >= 0 && q <= 1)) throw new FedrecError('invalid-input', `sampledGaussianRdp: q must be in [0, 1], got ${q}`);
  if (!(sigma >= 0)) throw new FedrecError('invalid-input', `sampledGaussianRdp: sigma must be >= 0, got ${sigma}`);
  if (!(Number.isFinite(order) && order > 1)) {
    throw new FedrecError('invalid-input', `sampledGaussianRdp: order must be finite and > 1, got ${order}`);
  }
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return order / (2 * sigma * sigma);
  const logA = Number.isInteger(order) ? logAInteger(q, sigma, order) : logAFractional(q, sigma, order);
  return logA / (order - 1);
}

/**
 * RDP at each of `orders`, same order as given.
 *
 * @example sampledGaussianRdpCurve({ q: 0.01, sigma: 1.1 }, [2, 2.5, 32])
 */
export function sampledGaussianRdpCurve(mechanism: SampledGaussian, orders: readonly number[]): number[] {
  return orders.map((order) => sampledGaussianRdp(mechanism, order));
}

/**
 * Integer α: A_α = Σ_{i=0}^{α} C(α, i) (1 − q)^{α−i} q^i exp((i² − i)/(2σ²)) (Mironov et al. 2019,
 * Sec. 3.3), a finite sum of positive terms. Since Σ C(α, i) (1 − q)^{α−i} q^i = 1 (binomial
 * theorem) we sum A_α − 1 = Σ_{i≥2} C(α, i) (1 − q)^{α−i} q^i (e^{(i²−i)/(2σ²)} − 1) instead (the
 * i = 0, 1 terms vanish) and take log1p at the end. Summing A_α itself, as TF Privacy and Opacus
 * do, computes log(1 + 1e-9) from terms near 1 and keeps only ~6 digits of it at q = 1e-6.
 */
function logAInteger(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoVar = 2 * sigma * sigma;
  let logAMinusOne = -Infinity;
  for (let i = 2; i <= alpha; i++) {
    const term = logBinomial(alpha, i).log + i * logQ + (alpha - i) * log1mQ + logExpm1((i * i - i) / twoVar);
    logAMinusOne = logAddExp(logAMinusOne, term);
  }
  return logAddExp(0, logAMinusOne);
}

/**
 * When to stop the fractional series. Past i = ⌊α⌋ + 1 the coefficients C(α, i) alternate in sign
 * and the terms shrink, so the error of stopping is below the first omitted term. TF Privacy and
 * Opacus stop once both new terms are below e^−30: since A_α ≥ 1 (Jensen) that bounds the error on
 * log A_α by ~1e-13 absolute. But RDP = log A_α / (α − 1) needs a RELATIVE bound on log A_α, which
 * is tiny for tiny q (≈ 4e-8 at q = 1e-7, σ = 0.1, α = 1.01, where e^−30 costs them ~3e-7
 * relative, measured against 60-digit mpmath). So we also stop no earlier than terms below
 * e^−16 · log A_α, i.e. ≤ 1e-7 relative on RDP. Not tighter: near q = ½ with large σ the terms
 * decay only like i^−(α+2), and each extra e^−1 costs ~40% more terms there.
 */
const LOG_ABSOLUTE_CUTOFF = -30;
const LOG_RELATIVE_CUTOFF = -16;
const MAX_TERMS = 1_000_000;

/**
 * Fractional α: split the expectation at z₀ = σ² log(1/q − 1) + ½, where the two mixture
 * components cross, and expand the binomial on each side (Mironov et al. 2019, Sec. 3.3, the
 * two-series expansion; same split as TF Privacy's and Opacus' `_compute_log_a_frac`):
 *   A₀ = Σᵢ C(α,i) q^i (1−q)^{α−i} e^{(i²−i)/(2σ²)} · ½ erfc((i − z₀)/(√2σ))
 *   A₁ = Σᵢ C(α,i) q^{α−i} (1−q)^i e^{(j²−j)/(2σ²)} · ½ erfc((z₀ − j)/(√2σ)),  j = α − i.
 * C(α, i) turns negative past i = ⌊α⌋ + 1, hence the signed log-space sums.
 */
function logAFractional(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoVar = 2 * sigma * sigma;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  for (let i = 0; i < MAX_TERMS; i++) {
    const coef = logBinomial(alpha, i);
    const j = alpha - i;
    const logS0 = coef.log + i * logQ + j * log1mQ + (i * i - i) / twoVar - Math.LN2 + logErfc((i - z0) / sqrt2Sigma);
    const logS1 = coef.log + j * logQ + i * log1mQ + (j * j - j) / twoVar - Math.LN2 + logErfc((z0 - j) / sqrt2Sigma);
    if (coef.sign > 0) {
      logA0 = logAddExp(logA0, logS0);
      logA1 = logAddExp(logA1, logS1);
    } else {
      logA0 = logSubExp(logA0, logS0);
      logA1 = logSubExp(logA1, logS1);
    }
    const logA = logAddExp(logA0, logA1);
    const cutoff = logA > 0 ? Math.min(LOG_ABSOLUTE_CUTOFF, Math.log(logA) + LOG_RELATIVE_CUTOFF) : LOG_ABSOLUTE_CUTOFF;
    if (Math.max(logS0, logS1) < cutoff) return logA;
  }
  throw new Error(`sampledGaussianRdp: series did not converge (q=${q}, sigma=${sigma}, order=${alpha})`);
}
