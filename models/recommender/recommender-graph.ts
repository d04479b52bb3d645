/**
 * The recommender in tfjs, for training: the score of `model-shape.ts` over a batch, and a sampled
 * softmax loss (the true next purchase against shared uniformly sampled negatives; uniform
 * proposals need no logQ correction, Jean et al. 2015). Variables are loaded from and read back to
 * the flat ModelWeights layout, which is what federated rounds exchange.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelWeights } from '../weights/model-weights.ts';
import type { ItemFeatures } from './item-features.ts';
import { descriptionSimilarity, type DescriptionTokens } from './description-tokens.ts';
import { parameterShapes, type ModelShape, type ParameterName } from './model-shape.ts';

/** A batch of next-purchase examples; histories are right-aligned and left-padded with mask 0. */
export interface TrainingBatch {
  size: number;
  /** [size × historyLength] item indices. */
  history: Int32Array;
  /** [size × historyLength] 1 for a real purchase, 0 for padding. */
  mask: Float32Array;
  store: Int32Array;
  target: Int32Array;
}

/** tfjs variable names are global to the engine; numbering graphs keeps several alive at once. */
let graphCount = 0;

export class RecommenderGraph {
  readonly variables: Record<ParameterName, tf.Variable>;
  private readonly category: tf.Tensor1D;
  private readonly logPrice: tf.Tensor1D;
  private readonly promotionFlag: tf.Tensor1D;
  private readonly noveltyFlag: tf.Tensor1D;
  private readonly description: DescriptionTokens;

  constructor(
    readonly shape: ModelShape,
    features: ItemFeatures,
  ) {
    graphCount++;
    // tidy frees each tf.zeros once its variable holds the data; untidied, every graph leaked 11 tensors.
    this.variables = tf.tidy(() =>
      Object.fromEntries(parameterShapes(shape).map((p) => [p.name, tf.variable(tf.zeros(p.shape), true, `fedrec/${graphCount}/${p.name}`)])),
    ) as Record<ParameterName, tf.Variable>;
    this.category = tf.tensor1d(features.category, 'int32');
    this.logPrice = tf.tensor1d(features.logPrice);
    this.promotionFlag = tf.tensor1d(features.promotion);
    this.noveltyFlag = tf.tensor1d(features.novelty);
    this.description = features.description;
  }

  setWeights(weights: ModelWeights): void {
    for (const p of weights.manifest.parameters) {
      const variable = this.variables[p.name as ParameterName];
      if (!variable) throw new Error(`setWeights: unknown parameter "${p.name}"`);
      tf.tidy(() => variable.assign(tf.tensor(weights.values.subarray(p.offset, p.offset + p.length), p.shape)));
    }
  }

  /** Copies every variable's values into `into.values` (same layout) and returns it. */
  readWeights(into: ModelWeights): ModelWeights {
    for (const p of into.manifest.parameters) {
      into.values.set(this.variables[p.name as ParameterName].dataSync() as Float32Array, p.offset);
    }
    return into;
  }

  /** Mean sampled-softmax cross-entropy of the batch's targets against `negatives`. */
  loss(batch: TrainingBatch, negatives: Int32Array): tf.Scalar {
    return tf.tidy(() => {
      const v = this.variables;
      const { historyLength: L, categories: C } = this.shape;
      const B = batch.size;
      const history = tf.tensor2d(batch.history, [B, L], 'int32');
      const mask = tf.tensor2d(batch.mask, [B, L]);
      const count = mask.sum(1, true);
      // |H|^-γ with γ = sigmoid(historyExponent); an empty history has no terms to normalise.
      const normalizer = tf.where(count.greater(0), tf.exp(tf.log(tf.maximum(count, 1)).mul(tf.sigmoid(v.historyExponent).neg())), tf.zerosLike(count));
      const omega = mask.mul(tf.softplus(v.positionWeight).reshape([1, L])).mul(normalizer); // [B, L]
      const omega3 = omega.expandDims(2);

      // Histories are right-aligned, so slot L − 1 holds the latest purchase whenever there is one.
      const latest = tf.tensor1d(Int32Array.from({ length: B }, (_, b) => batch.history[b * L + L - 1]), 'int32');
      const hasLatest = tf.tensor2d(Float32Array.from({ length: B }, (_, b) => batch.mask[b * L + L - 1]), [B, 1]);
      const queryVector = tf
        .gather(v.itemHistory, history)
        .mul(omega3)
        .sum(1)
        .add(tf.gather(v.itemNext, latest).mul(hasLatest)); // [B, d]
      const historyCategory = tf.gather(this.category, history);
      // tf.oneHot refuses a depth below 2, and a CSV without a category column has one category.
      const oneHot = C >= 2 ? tf.oneHot(historyCategory, C) : tf.oneHot(historyCategory, 2).slice([0, 0, 0], [-1, -1, C]);
      const categoryMass = oneHot.toFloat().mul(omega3).sum(1); // [B, C]
      const weightSum = omega.sum(1, true);
      const meanLogPrice = tf.gather(this.logPrice, history).mul(omega).sum(1, true).div(tf.maximum(weightSum, 1e-12));
      const hasHistory = count.greater(0).toFloat();

      const target = tf.tensor1d(batch.target, 'int32');
      const candidates = tf.concat([target, tf.tensor1d(negatives, 'int32')]); // [K = B + M]
      const itemTerms = tf
        .gather(v.itemBias, candidates)
        .add(tf.gather(this.promotionFlag, candidates).mul(v.promotion))
        .add(tf.gather(this.noveltyFlag, candidates).mul(v.novelty));
      const purchases = tf.matMul(queryVector, tf.gather(v.itemCandidate, candidates), false, true);
      const repeats = this.repeatTerm(batch, candidates, omega as tf.Tensor2D, v.repeatWeight);
      const candidateCategory = tf.gather(this.category, candidates);
      const affinity = tf.gather(categoryMass, candidateCategory, 1).mul(tf.gather(v.categoryAffinity, candidateCategory));
      const priceGap = tf.gather(this.logPrice, candidates).reshape([1, -1]).sub(meanLogPrice);
      const priceFit = priceGap.square().mul(tf.softplus(v.priceFit)).mul(hasHistory).neg();
      const store = tf.matMul(tf.gather(v.storeEmbedding, tf.tensor1d(batch.store, 'int32')), tf.gather(v.itemStore, candidates), false, true);
      const similar = tf.tensor2d(this.latestSimilarity(batch, candidates), [B, candidates.shape[0]]).mul(v.descriptionWeight);
      const scores = purchases.add(repeats).add(similar).add(affinity).add(priceFit).add(store).add(itemTerms.reshape([1, -1])); // [B, K]

      // Column b of the first B columns is row b's own target; the remaining M columns are negatives.
      // Both index sets and the accidental-hit mask depend only on the data, so they are built in JS.
      const K = B + negatives.length;
      const targetScore = tf.gather(scores.reshape([-1]), tf.tensor1d(Int32Array.from({ length: B }, (_, b) => b * K + b), 'int32')).reshape([B, 1]);
      const negativeScores = scores.slice([0, B], [B, negatives.length]).add(tf.tensor2d(accidentalHitMask(batch.target, negatives), [B, negatives.length]));
      const logits = tf.concat([targetScore, negativeScores], 1);
      // logSoftmax rather than logSumExp: the latter's gradient runs an Equal over the whole matrix.
      return tf.logSoftmax(logits).slice([0, 0], [B, 1]).mean().neg() as tf.Scalar;
    });
  }

  /**
   * repeatWeight · Σ_j ω_j [h_j = candidate_k] as a [B, K] matrix. The indicator depends only on
   * the data, and is sparse, so the matches are found here in JS and the ω's summed with a
   * gather + segment sum: a dense [B, L, K] equality costs ~1 s a batch on the wasm backend.
   */
  private repeatTerm(batch: TrainingBatch, candidates: tf.Tensor1D, omega: tf.Tensor2D, repeatWeight: tf.Variable): tf.Tensor2D {
    const L = this.shape.historyLength;
    const candidateItems = candidates.dataSync();
    const columnsOf = new Map<number, number[]>();
    candidateItems.forEach((item, k) => {
      const columns = columnsOf.get(item);
      if (columns) columns.push(k);
      else columnsOf.set(item, [k]);
    });
    const from: number[] = [];
    const to: number[] = [];
    for (let b = 0; b < batch.size; b++) {
      for (let j = 0; j < L; j++) {
        if (batch.mask[b * L + j] === 0) continue;
        for (const k of columnsOf.get(batch.history[b * L + j]) ?? []) {
          from.push(b * L + j);
          to.push(b * candidateItems.length + k);
        }
      }
    }
    const K = candidateItems.length;
    if (from.length === 0) return tf.zeros([batch.size, K]);
    const matched = tf.gather(omega.reshape([-1]), tf.tensor1d(from, 'int32'));
    return tf.unsortedSegmentSum(matched, tf.tensor1d(to, 'int32'), batch.size * K).reshape([batch.size, K]).mul(repeatWeight);
  }

  /** cos(words(h_last), words(candidate_k)) as a [B, K] matrix (0 for an empty history): data only, built in JS. */
  private latestSimilarity(batch: TrainingBatch, candidates: tf.Tensor1D): Float32Array {
    const L = this.shape.historyLength;
    const candidateItems = candidates.dataSync();
    const K = candidateItems.length;
    const out = new Float32Array(batch.size * K);
    for (let b = 0; b < batch.size; b++) {
      if (batch.mask[b * L + L - 1] === 0) continue;
      const latest = batch.history[b * L + L - 1];
      for (let k = 0; k < K; k++) out[b * K + k] = descriptionSimilarity(this.description, latest, candidateItems[k]);
    }
    return out;
  }

  dispose(): void {
    Object.values(this.variables).forEach((variable) => variable.dispose());
    [this.category, this.logPrice, this.promotionFlag, this.noveltyFlag].forEach((t) => t.dispose());
  }
}

/** -1e9 where a sampled negative is the row's own target, 0 elsewhere. */
function accidentalHitMask(targets: Int32Array, negatives: Int32Array): Float32Array {
  const mask = new Float32Array(targets.length * negatives.length);
  for (let b = 0; b < targets.length; b++) {
    for (let m = 0; m < negatives.length; m++) if (negatives[m] === targets[b]) mask[b * negatives.length + m] = -1e9;
  }
  return mask;
}
