/**
 * The largest magnitude a released weight (or one round's averaged update) may have. The model
 * scores an item as a sum of a few dozen weight products (models/recommender/model-shape.ts), so a
 * single weight of 1e6 already decides every ranking on its own: nothing training does comes near
 * it (the hostile-client suite's honest jobs, test/hostile/, stay below 10), while anything an
 * overflow or a poisoned update produces (3.4e38, ±Infinity, NaN) is far past it.
 */
export const maxWeightMagnitude = 1e6;

/**
 * The first value of `values` that is non-finite or beyond ±`bound`, or undefined when all are fine.
 * @example firstOutOfBound(weights.values) // { index: 12, value: NaN } or undefined
 */
export function firstOutOfBound(values: Float32Array | Float64Array, bound = maxWeightMagnitude): { index: number; value: number } | undefined {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Written so NaN fails too: NaN <= bound is false.
    if (!(v <= bound && v >= -bound)) return { index: i, value: v };
  }
  return undefined;
}
