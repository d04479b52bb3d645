/**
 * Sealing the merchant view's days. The counters kept while a day runs are exact; the merchant view
 * never reads them. Once a day has ended, each of its counters is released once as exact +
 * N(0, σ²), and that noised value is stored and kept: every later query sums sealed values only, so
 * repeating a query, or differencing two (two day ranges, one store against all), can only ever
 * combine the same noised values, never the exact ones (the Gaussian mechanism released once per
 * day; what queries do with it is post-processing, Dwork & Roth 2014, Prop. 2.1).
 *
 * What one recommendation request can move (record-recommendations.ts bounds it): at most
 * `countedItemsPerRequest` items, and per item 1 on `shown`, 1 on its model version's
 * `shown-by-version`, 1 on `explained`, 1 on one top-reason and 1 on one holds-back counter, and at
 * most 1 in absolute value on each of the six concept kinds' attribution sums, and its rank's
 * position weight 1/log2(rank + 1) on `exposure-weight`. Its L2 sensitivity is therefore
 * √(10 · (5 + 6) + Σ weights²) ≈ 10.61, and a day sealed with σ per counter is the Gaussian
 * mechanism with noise multiplier σ / 10.61 for each request of that day (`exposureRequestEpsilon`).
 * A purchase event moves one `purchased` counter by 1 (Δ = 1).
 * A shopper's feedback moves two complaint counters by 1 (its kind, its model version): Δ = √2 per
 * feedback, sealed with the same σ.
 */
import { computeEpsilon, defaultRandomSource, standardNormal, type RandomSource } from '../privacy/index.ts';
import type { FedrecStore } from '../store/index.ts';
import { positionWeight } from './exposure-keys.ts';

/** Items of a response counted in the merchant view (the first ones, best first). */
export const countedItemsPerRequest = 10;
/** Bound on each concept kind's attribution sum per counted item. */
export const attributionBound = 1;
/**
 * L2 sensitivity of one request's counters: √(items · (5 unit counters + 6 attribution kinds ·
 * bound²) + Σ_rank (1/log2(rank + 1))²), the last term the fairness report's position weights
 * (`exposure-weight`, ≤ 1 each, one per counted rank): √112.5 ≈ 10.61.
 */
export const requestSensitivity = Math.sqrt(
  countedItemsPerRequest * (5 + 6 * attributionBound ** 2) + Array.from({ length: countedItemsPerRequest }, (_, r) => positionWeight(r + 1) ** 2).reduce((a, b) => a + b, 0),
);

/**
 * σ per sealed counter. 20 is σ / Δ ≈ 1.89: ε ≈ 2.58 per request per day at δ = 1e-6
 * (`exposureRequestEpsilon`), and on a busy item's daily `shown` (hundreds) ±20 is a few percent.
 */
export const defaultSealNoiseStd = 20;

export interface SealOptions {
  noiseStd: number;
  random?: RandomSource;
}

/**
 * Seals every day before `today` that has counters and is not sealed yet; returns the days sealed
 * now. A day already sealed (by another reader, or another process) keeps its first noise.
 *
 * @example await sealPastDays(store, utcDay(new Date()), { noiseStd: defaultSealNoiseStd });
 */
export async function sealPastDays(store: Pick<FedrecStore, 'unsealedExposureDays' | 'listExposureDay' | 'sealExposureDay'>, today: string, options: SealOptions): Promise<string[]> {
  const random = options.random ?? defaultRandomSource();
  const sealed: string[] = [];
  for (const day of await store.unsealedExposureDays(today)) {
    const counters = await store.listExposureDay(day);
    const noised = counters.map((c) => ({ ...c, amount: c.amount + options.noiseStd * standardNormal(random) }));
    if (await store.sealExposureDay(day, noised)) sealed.push(day);
  }
  return sealed;
}

/**
 * ε of one request's counters on the day they are sealed: the Gaussian mechanism (q = 1) with
 * noise multiplier σ / Δ, through the same RDP conversion as training.
 *
 * @example exposureRequestEpsilon(20, 1e-6) // ≈ 2.55
 */
export function exposureRequestEpsilon(noiseStd: number, delta: number): number {
  return computeEpsilon([{ q: 1, sigma: noiseStd / requestSensitivity, steps: 1 }], delta).epsilon;
}
