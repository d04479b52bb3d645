/**
 * Float comparison for attribution tests. Attributions are compared relative to the size of what
 * was summed (|baseline| + Σ|φ|), not to the result, because a score near 0 can be the sum of large
 * terms of opposite sign; the message is built only on failure.
 */
import { expect } from 'chai';

/**
 * Asserts |actual − expected| ≤ relative · max(1, scale) + slack.
 * @example expectClose(sum, score, { relative: 1e-9, scale: 4.2, label: 'efficiency' })
 */
export function expectClose(
  actual: number,
  expected: number,
  { relative, scale = Math.abs(expected), slack = 0, label = 'value' }: { relative: number; scale?: number; slack?: number; label?: string },
): void {
  const error = Math.abs(actual - expected);
  const allowed = relative * Math.max(1, scale) + slack;
  if (!(error <= allowed)) expect.fail(`${label}: got ${actual}, expected ${expected} (|Δ| = ${error.toExponential(2)}, allowed ${allowed.toExponential(2)})`);
}

/** |baseline| + Σ|φ|: the scale an efficiency check is relative to. */
export function attributionScale(baseline: number, contributions: ArrayLike<number>): number {
  let scale = Math.abs(baseline);
  for (let i = 0; i < contributions.length; i++) scale += Math.abs(contributions[i]);
  return scale;
}
