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
import { addCounts, historyBands, type ClientUpdate, type HistoryBand } from '../../protocol/index.ts';
import { createAggregator, type AggregationConfig, type Aggregator } from './aggregation/aggregator.ts';
import { PlainSum } from './aggregation/plain-sum.ts';
import type { ValidUpdate } from './validate-update.ts';

type MetricSums = NonNullable<ClientUpdate['evaluation']>;

/** Noise values drawn per event-loop turn: 65,536 took ~3 ms here, short enough not to stall the sockets. */
const noiseChunk = 1 << 16;

export class RoundAggregate {
  /** How the clients' sums are combined (the plain sum unless the job chose a robust rule). */
  readonly aggregator: Aggregator;
  clients = 0;
  shoppers = 0;
  examples = 0;
  unclipped = 0;
  lossSum = 0;
  readonly evaluation: MetricSums & { baselines: NonNullable<MetricSums['baselines']> } = { recall: 0, ndcg: 0, shoppers: 0, baselines: { popularity: { recall: 0, ndcg: 0 }, repeat: { recall: 0, ndcg: 0 } } };
  // --- Per-segment evaluation sums (issue 14 point 4) ---
  /** The evaluation's sums per history band, summed over the clients that sent them. */
  readonly evaluationSegments: Record<HistoryBand, MetricSums> = { new: { recall: 0, ndcg: 0, shoppers: 0 }, occasional: { recall: 0, ndcg: 0, shoppers: 0 }, regular: { recall: 0, ndcg: 0, shoppers: 0 } };
  /** Clients whose evaluation came without its per-band split: while any did, the bands do not add up to the round's evaluation. */
  unsegmentedEvaluations = 0;
  /** The per-band sums, when every evaluating client split its evaluation by band (else undefined). */
  completeSegments(): Record<HistoryBand, MetricSums> | undefined {
    return this.unsegmentedEvaluations === 0 ? this.evaluationSegments : undefined;
  }
  // --- end per-segment evaluation sums ---
  /** Time spent drawing the noise, ms. */
  noiseMs = 0;

  constructor(size: number, aggregation?: AggregationConfig) {
    this.aggregator = createAggregator(aggregation, size);
  }

  /**
   * The plain sum's running Σ of the clients' update sums (DP: clipped shopper updates; no DP:
   * example-weighted ones), in float64. Only a streaming rule has one.
   */
  get sum(): Float64Array {
    if (!(this.aggregator instanceof PlainSum)) throw new Error(`RoundAggregate.sum: the ${this.aggregator.rule} rule has no running sum; use combine()`);
    return this.aggregator.live;
  }

  /**
   * @example aggregate.add(validateUpdate(clientId, raw, openRound));
   */
  add(update: ValidUpdate): void {
    const values = update.sum;
    // Counts first, checked (a sum past 2^53 would round silently), so a refused add changes nothing.
    const shoppers = addCounts(this.shoppers, update.shoppers);
    const examples = addCounts(this.examples, update.examples);
    const unclipped = addCounts(this.unclipped, update.unclipped);
    const evaluated = update.evaluation ? addCounts(this.evaluation.shoppers, update.evaluation.shoppers) : this.evaluation.shoppers;
    this.aggregator.add(values);
    this.clients++;
    this.shoppers = shoppers;
    this.examples = examples;
    this.unclipped = unclipped;
    this.lossSum += update.lossSum;
    if (update.evaluation) {
      this.evaluation.recall += update.evaluation.recall;
      this.evaluation.ndcg += update.evaluation.ndcg;
      this.evaluation.shoppers = evaluated;
      // validateUpdate let baselines through only on rounds that asked for them, with every evaluation.
      for (const name of ['popularity', 'repeat'] as const) {
        const sums = update.evaluation.baselines?.[name];
        if (!sums) continue;
        this.evaluation.baselines[name].recall += sums.recall;
        this.evaluation.baselines[name].ndcg += sums.ndcg;
      }
      // validateUpdate checked the bands' counts add up to evaluation.shoppers, so they cannot overflow past it.
      if (update.evaluationSegments) {
        for (const band of historyBands) {
          const part = update.evaluationSegments[band];
          if (!part) continue;
          const sums = this.evaluationSegments[band];
          sums.recall += part.recall;
          sums.ndcg += part.ndcg;
          sums.shoppers += part.shoppers;
        }
      } else this.unsegmentedEvaluations++;
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
    this.noiseMs += await addNoiseInChunks(this.sum, std, random);
  }

  /**
   * The round's combined update, Σ of the client sums as the job's rule estimates it; with `noise`,
   * a robust rule's result gets N(0, (σ · its sensitivity)²) here (the plain sum had its noise drawn
   * at the open, `addNoise`).
   */
  async combine(noise?: { noiseMultiplier: number; clipNorm: number; random: RandomSource }): Promise<Float64Array> {
    const combined = await this.aggregator.combine();
    if (noise && !this.aggregator.streams) this.noiseMs += await addNoiseInChunks(combined, noise.noiseMultiplier * this.aggregator.sensitivity(noise.clipNorm), noise.random);
    return combined;
  }
}

/** Adds N(0, std²) to every value, a chunk per event-loop turn; resolves with the ms spent drawing. */
export async function addNoiseInChunks(values: Float64Array, std: number, random: RandomSource): Promise<number> {
  let spent = 0;
  for (let start = 0; start < values.length; start += noiseChunk) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const drawing = performance.now();
    random.addGaussian(values.subarray(start, start + noiseChunk), std);
    spent += performance.now() - drawing;
  }
  return spent;
}
