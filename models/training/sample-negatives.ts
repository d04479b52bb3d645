import type { SeededRandom } from '../data/seeded-random.ts';

/** `count` item indices drawn uniformly with replacement (capped at the catalogue size). */
export function sampleNegatives(rng: SeededRandom, itemCount: number, count: number): Int32Array {
  const negatives = new Int32Array(Math.min(count, itemCount));
  for (let i = 0; i < negatives.length; i++) negatives[i] = rng.int(itemCount);
  return negatives;
}
