/**
 * The running sum of a round's accepted updates, and (with DP) its noise. Each validated update is
 * added as it arrives, so the coordinator holds one model-sized sum per round instead of every
 * client's update until the round closes, and the summing overlaps with waiting for the slower
 * clients instead of following the last answer (20 updates of 800,000 values: ~35 ms that no
 * longer sit between the last answer and the release). The noise is drawn the same way, while the
 * clients train. Only updates that passed `validateUpdate` are ever added, so a rejected one never
 * touches the sum.
 *
 * The sum is float64, and so is the noise drawn into it: the noisy sum is never rounded to float32
 * while the coordinator holds it, only the released model is (see README, "What ε covers", on
 * what that does and does not do against Mironov 2012's floating-point attack).
 */
import type { RandomSource } from '../privacy/index.ts';
import { addCounts, type ClientUpdate } from '../../protocol/index.ts';
import type { ValidUpdate } from './validate-update.ts';

type MetricSums = NonNullable<ClientUpdate['evaluation']>;

/** Noise values drawn per event-loop turn: 65,536 took ~3 ms here, short enough not to stall the sockets. */
const noiseChunk = 1 << 16;

export class RoundAggregate {
  /** Σ of the clients' update sums (DP: clipped shopper updates; no DP: example-weighted ones), in float64. */
  readonly sum: Float64Array;
  clients = 0;
  shoppers = 0;
  examples = 0;
  unclipped = 0;
  lossSum = 0;
  readonly evaluation: MetricSums = { recall: 0, ndcg: 0, shoppers: 0 };
  /** Time spent drawing the noise, ms. */
  noiseMs = 0;

  constructor(size: number) {
    this.sum = new Float64Array(size);
  }

  /**
   * @example aggregate.add(validateUpdate(clientId, raw, openRound));
   */
  add(update: ValidUpdate): void {
    const { sum } = this;
    const values = update.sum;
    if (values.length !== sum.length) throw new Error(`RoundAggregate.add: update has ${values.length} values, the sum has ${sum.length}`);
    // Counts first, checked (a sum past 2^53 would round silently), so a refused add changes nothing.
    const shoppers = addCounts(this.shoppers, update.shoppers);
    const examples = addCounts(this.examples, update.examples);
    const unclipped = addCounts(this.unclipped, update.unclipped);
    const evaluated = update.evaluation ? addCounts(this.evaluation.shoppers, update.evaluation.shoppers) : this.evaluation.shoppers;
    for (let i = 0; i < sum.length; i++) sum[i] += values[i];
    this.clients++;
    this.shoppers = shoppers;
    this.examples = examples;
    this.unclipped = unclipped;
    this.lossSum += update.lossSum;
    if (update.evaluation) {
      this.evaluation.recall += update.evaluation.recall;
      this.evaluation.ndcg += update.evaluation.ndcg;
      this.evaluation.shoppers = evaluated;
    }
  }

  /**
   * Adds N(0, std²) to every coordinate of the sum, once (the Gaussian mechanism on the round's
   * sum), a chunk per event-loop turn so socket I/O keeps flowing. Started when the round opens, it
   * runs while the clients train instead of after the last answer (800,000 values took ~35 ms
   * here). Updates added in between commute with it.
   * @example const noised = aggregate.addNoise(noiseMultiplier * clipNorm, random); … await noised;
   */
  async addNoise(std: number, random: RandomSource): Promise<void> {
    for (let start = 0; start < this.sum.length; start += noiseChunk) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const drawing = performance.now();
      random.addGaussian(this.sum.subarray(start, start + noiseChunk), std);
      this.noiseMs += performance.now() - drawing;
    }
  }
}
