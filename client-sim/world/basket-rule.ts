/**
 * The second purchase rule (`--world-rule baskets`), one the model's concepts do not mirror: no
 * price gap, no promotion or novelty bonus, no "follows the last item" partners. Shoppers are
 * mixtures of latent topics (an LDA-style taste, Blei et al. 2003); they shop in trips, and every
 * item of a trip's basket comes from that trip's one topic, so items co-occur by basket rather than
 * by order. A third of the items are seasonal, their appeal peaking once a year (exp(0.9·cos)). A
 * share of each basket re-buys the shopper's staples, weighted by how often each was bought, as
 * real retail baskets do (Li et al. 2023). Stores differ by assortment and by a regional topic bias.
 */
import type { SeededRandom } from '../../models/data/seeded-random.ts';

export const basketTopics = 12;
const staplesShare = 0.3;
const seasonalShare = 1 / 3;
const seasonAmplitude = 0.9;
const meanDaysBetweenTrips = 7;

export interface BasketItems {
  /** The item's topic, its base log appeal, and its season: peak day in the year, or none. */
  topic: Int32Array;
  logAppeal: Float64Array;
  peakDay: Float64Array;
}

/** @example const traits = basketItemTraits(rng, 800); */
export function basketItemTraits(rng: SeededRandom, items: number): BasketItems {
  return {
    topic: Int32Array.from({ length: items }, (_, i) => (i < basketTopics ? i : rng.int(basketTopics))),
    logAppeal: Float64Array.from({ length: items }, () => 1.0 * rng.normal()),
    peakDay: Float64Array.from({ length: items }, () => (rng.next() < seasonalShare ? rng.next() * 365 : Number.NaN)),
  };
}

/** A shopper's topic mixture: a regional bias plus their own, as softmax weights. */
export function topicMixture(rng: SeededRandom, regionBias: readonly number[]): Float64Array {
  const logits = regionBias.map((b) => b + 1.5 * rng.normal());
  const max = Math.max(...logits);
  const weights = Float64Array.from(logits, (l) => Math.exp(l - max));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/**
 * One shopper's purchases, trip by trip, from the items `carries` marks as on their store's shelves.
 * @example basketSequence(rng, 14, traits, mixture, store.carries)
 */
export function basketSequence(rng: SeededRandom, count: number, traits: BasketItems, mixture: Float64Array, carries: Uint8Array): { items: number[]; times: number[] } {
  const byTopic: number[][] = Array.from({ length: basketTopics }, () => []);
  traits.topic.forEach((k, i) => {
    if (carries[i]) byTopic[k].push(i);
  });
  const items: number[] = [];
  const times: number[] = [];
  const bought = new Map<number, number>();
  let day = rng.next() * 30;
  while (items.length < count) {
    day += -Math.log(1 - rng.next()) * meanDaysBetweenTrips;
    const topic = drawIndex(rng, mixture, (k) => (byTopic[k].length > 0 ? 1 : 0));
    const size = Math.min(count - items.length, 1 + rng.poisson(2));
    for (let n = 0; n < size; n++) {
      let item: number;
      if (bought.size > 0 && rng.next() < staplesShare) {
        const staples = [...bought.keys()];
        item = staples[drawIndex(rng, Float64Array.from(staples, (s) => bought.get(s)!), () => 1)];
      } else {
        const pool = byTopic[topic];
        const weights = Float64Array.from(pool, (i) => Math.exp(traits.logAppeal[i] + season(traits.peakDay[i], day)));
        item = pool[drawIndex(rng, weights, () => 1)];
      }
      bought.set(item, (bought.get(item) ?? 0) + 1);
      items.push(item);
      times.push(Math.round(day * 100) / 100);
    }
  }
  return { items, times };
}

function season(peakDay: number, day: number): number {
  return Number.isNaN(peakDay) ? 0 : seasonAmplitude * Math.cos((2 * Math.PI * (day - peakDay)) / 365);
}

/** Samples an index with probability ∝ weights[k] · mask(k). */
function drawIndex(rng: SeededRandom, weights: ArrayLike<number>, mask: (k: number) => number): number {
  let total = 0;
  for (let k = 0; k < weights.length; k++) total += weights[k] * mask(k);
  let u = rng.next() * total;
  for (let k = 0; k < weights.length; k++) if ((u -= weights[k] * mask(k)) < 0) return k;
  for (let k = weights.length - 1; k >= 0; k--) if (weights[k] * mask(k) > 0) return k;
  return 0;
}
