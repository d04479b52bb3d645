/**
 * A store's answer to one round, transport-free: Poisson-sample its shoppers with probability q
 * from a secure source, train each sampled shopper's update locally, clip it to C, and sum. Only
 * the sum, the counts and (when asked) evaluation metric sums leave the store.
 */
import type { HeldOutShopper } from '../../models/data/leave-last-out.ts';
import type { Shopper } from '../../models/data/retail-world.ts';
import { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import { modelMeta } from '../../models/recommender/initialize-weights.ts';
import type { ItemFeatures } from '../../models/recommender/item-features.ts';
import { modelRanker } from '../../models/recommender/model-ranker.ts';
import { metricSums, type MetricSums } from '../../models/evaluation/evaluate-ranker.ts';
import { globalPopularity } from '../../models/evaluation/baselines.ts';
import { personalRepeat } from '../../models/evaluation/personal-repeat.ts';
import type { Ranker } from '../../models/evaluation/ranker.ts';
import type { LocalTrainer } from '../../models/training/local-update.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { clipUpdate, poissonSample, type RandomSource, type RoundRequest } from '../../protocol/index.ts';
import { segmentMetricSums, type SegmentMetricSums } from './segment-metric-sums.ts';

export interface StoreData {
  /** The store's shoppers, truncated to their training purchases. */
  train: Shopper[];
  /** Held-out purchases for federated evaluation. */
  test: HeldOutShopper[];
  features: ItemFeatures;
}

export interface RoundUpdate {
  sum: Float32Array;
  shoppers: number;
  examples: number;
  unclipped: number;
  lossSum: number;
  evaluation?: EvaluationSums;
  /** `evaluation`'s model sums split by history band (issue 14 point 4; `segment-metric-sums.ts`); the baselines stay overall. */
  evaluationSegments?: SegmentMetricSums;
}

/** The model's evaluation sums and, when the round asked, the store's two baselines' on the same cohort. */
export interface EvaluationSums extends MetricSums {
  baselines?: { popularity: RankingSums; repeat: RankingSums };
}

type RankingSums = Pick<MetricSums, 'recall' | 'ndcg'>;

/** Negatives per local step: fewer than centrally, since a shopper's batch is small. */
const localNegatives = 128;

/** The whole answer at once, on the caller's stack (benches; a store client paces it, `paced-round-update.ts`). */
export function computeRoundUpdate(request: RoundRequest, global: ModelWeights, data: StoreData, trainer: LocalTrainer, random: RandomSource): RoundUpdate {
  const steps = roundUpdateSteps(request, global, data, trainer, random);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** Evaluation shoppers scored per step: one step stays a few ms on the demo model. */
const evaluationSlice = 16;

/**
 * The answer as a sequence of small steps (one shopper's local training, or a slice of the
 * evaluation cohort, each yields once), so a caller can give the event loop back between steps and
 * stop at a deadline. Draws its randomness in the same order as before, so paced and unpaced answers
 * are the same for a seeded source.
 */
export function* roundUpdateSteps(request: RoundRequest, global: ModelWeights, data: StoreData, trainer: LocalTrainer, random: RandomSource): Generator<void, RoundUpdate, void> {
  const sum = new Float32Array(global.manifest.size);
  const sampled = poissonSample(data.train.length, request.samplingRate, random);
  const update: RoundUpdate = { sum, shoppers: 0, examples: 0, unclipped: 0, lossSum: 0 };
  for (const index of sampled) {
    const shopper = data.train[index];
    const delta = trainer.shopperDelta(global, shopper, { epochs: request.localEpochs, batchSize: request.batchSize, learningRate: request.clientLearningRate, negatives: localNegatives });
    update.shoppers++;
    update.lossSum += delta.loss;
    // The delta is zero outside `indices`, so its norm and its sum are over those values alone.
    if (request.clipNorm !== undefined) {
      if (clipUpdate(delta.values, request.clipNorm) <= request.clipNorm) update.unclipped++;
      delta.indices.forEach((i, k) => (sum[i] += delta.values[k]));
    } else {
      // Without DP, FedAvg weights each shopper's update by their examples (McMahan et al. 2017).
      delta.indices.forEach((i, k) => (sum[i] += delta.examples * delta.values[k]));
      update.unclipped++;
    }
    update.examples += delta.examples;
    yield;
  }
  if (request.evaluate && data.test.length > 0) {
    const { shape } = modelMeta(global);
    // With DP the evaluation cohort is its own Poisson sample of held-out shoppers, accounted as its own release.
    const rate = request.evaluationSamplingRate;
    const cohort = rate === undefined ? data.test : poissonSample(data.test.length, rate, random).map((i) => data.test[i]);
    const ranker = modelRanker(new ConceptScorer(shape, global, data.features));
    const baselines = request.evaluateBaselines ? storeBaselines(data) : undefined;
    const evaluation: EvaluationSums = { recall: 0, ndcg: 0, shoppers: 0 };
    if (baselines) evaluation.baselines = { popularity: { recall: 0, ndcg: 0 }, repeat: { recall: 0, ndcg: 0 } };
    const segments: SegmentMetricSums = {};
    for (let start = 0; start < cohort.length; start += evaluationSlice) {
      const slice = cohort.slice(start, start + evaluationSlice);
      // Each shopper is ranked once, in their band's group; the overall sums are the bands' sums.
      const part = segmentMetricSums(ranker, slice, shape.historyLength, segments);
      evaluation.recall += part.recall;
      evaluation.ndcg += part.ndcg;
      evaluation.shoppers += part.shoppers;
      if (baselines && evaluation.baselines) {
        // The same shoppers as the model's sums, so the server's one noised count divides all of them.
        for (const name of ['popularity', 'repeat'] as const) {
          const sums = metricSums(baselines[name], slice, 10);
          evaluation.baselines[name].recall += sums.recall;
          evaluation.baselines[name].ndcg += sums.ndcg;
        }
      }
      yield;
    }
    update.evaluation = evaluation;
    update.evaluationSegments = segments;
  }
  return update;
}

/**
 * The baselines a store can score from its own data alone: popularity over its shoppers' training
 * purchases (per-store popularity, as the store's data is one store's), and personal repeat, whose
 * ties past recency fall to that same popularity (models/evaluation/).
 */
function storeBaselines(data: StoreData): { popularity: Ranker; repeat: Ranker } {
  const items = data.features.category.length;
  return { popularity: globalPopularity(data.train, items), repeat: personalRepeat(data.train, items) };
}
