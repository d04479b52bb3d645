/**
 * Float comparison for this folder's tests: relative tolerance with an absolute floor, and a
 * message that says which value and by how much, built only on failure.
 */
import { expect } from 'chai';

/**
 * Asserts |actual − expected| ≤ max(relative · |expected|, absolute).
 *
 * @example expectClose(eps, 1.71177, { relative: 0.005, label: 'ε(q=0.01, σ=1.1)' })
 */
export function expectClose(
  actual: number,
  expected: number,
  { relative = 0, absolute = 0, label = 'value' }: { relative?: number; absolute?: number; label?: string },
): void {
  const error = Math.abs(actual - expected);
  const allowed = Math.max(relative * Math.abs(expected), absolute);
  if (!(error <= allowed)) {
    const rel = expected === 0 ? Infinity : error / Math.abs(expected);
    const detail = `|Δ| = ${error.toExponential(2)}, relative ${rel.toExponential(2)}, allowed ${allowed.toExponential(2)}`;
    expect.fail(`${label}: got ${actual}, expected ${expected} (${detail})`);
  }
}
