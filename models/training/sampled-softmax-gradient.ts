/**
 * The gradient of `RecommenderGraph.loss` (sampled softmax over the model of `model-shape.ts`)
 * written out by hand in typed arrays, for one shopper's local training. A shopper's examples touch
 * only the rows of their own purchases, targets and sampled negatives, so the gradient is sparse:
 * computing it here costs a few hundred microseconds, where the tfjs graph (dense gradients over
 * every embedding table, a tensor upload and download per shopper) measured 12 ms per shopper for a
 * 5,000-item model on the wasm backend of a 2-core machine, and per-shopper updates are what DP with
 * the shopper as privacy unit needs. A test holds it to tfjs autograd on random models.
 *
 * Per example with present history slots j (items h_j, n of them), N = n^(−γ), γ = sigmoid(g):
 *   ω_j = softplus(positionWeight[slot_j]) · N,  q = Σ ω_j itemHistory[h_j] + itemNext[h_last]
 *   s_k = itemBias[i] + promotion·pr_i + novelty·nv_i + q·itemCandidate[i] + repeat·Σ_j ω_j [h_j = i]
 *       + categoryAffinity[c_i]·M_{c_i} − softplus(priceFit)·(lp_i − μ)² + storeEmbedding[s]·itemStore[i]
 *       + descriptionWeight·cos(words(h_last), words(i))
 * with M_c = Σ ω_j [c_{h_j} = c], μ = Σ ω_j lp_{h_j} / Σ ω_j, and the loss −log softmax over the
 * row's target and the shared negatives (a negative equal to the target is masked out).
 */
import type { ItemFeatures } from '../recommender/item-features.ts';
import type { ModelShape, ParameterName } from '../recommender/model-shape.ts';
import type { TrainingBatch } from '../recommender/recommender-graph.ts';
import { parameterView, type ModelWeights } from '../weights/model-weights.ts';
import { softplus, sigmoid } from '../recommender/activations.ts';
import { descriptionSimilarity } from '../recommender/description-tokens.ts';

/**
 * A gradient over the flat weights layout that remembers which values it touched, so applying and
 * clearing it costs the touched values, not the model size.
 */
export class SparseGradient {
  readonly values: Float64Array;
  private readonly marked: Uint8Array;
  private indices: Int32Array;
  private count = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
    this.marked = new Uint8Array(size);
    this.indices = new Int32Array(1024);
  }

  /** Declares values [offset, offset + length) touched; call before adding into them. */
  touch(offset: number, length: number): void {
    for (let i = offset; i < offset + length; i++) {
      if (this.marked[i]) continue;
      this.marked[i] = 1;
      if (this.count === this.indices.length) {
        const grown = new Int32Array(this.indices.length * 2);
        grown.set(this.indices);
        this.indices = grown;
      }
      this.indices[this.count++] = i;
    }
  }

  /** The touched flat indices (a view, valid until the next `touch` or `clear`). */
  touched(): Int32Array {
    return this.indices.subarray(0, this.count);
  }

  clear(): void {
    for (let k = 0; k < this.count; k++) {
      const i = this.indices[k];
      this.values[i] = 0;
      this.marked[i] = 0;
    }
    this.count = 0;
  }
}

/**
 * Adds ∂loss/∂weights of the batch's mean sampled-softmax loss into `into`; returns the loss.
 * @example const loss = sampledSoftmaxGradient(shape, weights, features, batch, negatives, gradient);
 */
export function sampledSoftmaxGradient(shape: ModelShape, weights: ModelWeights, features: ItemFeatures, batch: TrainingBatch, negatives: Int32Array, into: SparseGradient): number {
  if (into.values.length !== weights.values.length) {
    throw new Error(`sampledSoftmaxGradient: gradient has ${into.values.length} values, model has ${weights.values.length}`);
  }
  const { historyLength: L, embeddingDim: d, storeDim: ds } = shape;
  const offsetOf = Object.fromEntries(weights.manifest.parameters.map((p) => [p.name, p.offset])) as Record<ParameterName, number>;
  const view = (name: ParameterName): Float32Array => parameterView(weights, name);
  const [bias, E, F, X, pw, A, G, S] = (['itemBias', 'itemHistory', 'itemCandidate', 'itemNext', 'positionWeight', 'categoryAffinity', 'itemStore', 'storeEmbedding'] as const).map(view);
  const repeat = view('repeatWeight')[0];
  const describedLike = view('descriptionWeight')[0];
  const gammaRaw = view('historyExponent')[0];
  const gamma = sigmoid(gammaRaw);
  const priceRaw = view('priceFit')[0];
  const priceWeight = softplus(priceRaw);
  const promotion = view('promotion')[0];
  const novelty = view('novelty')[0];
  const g = into.values;
  const scalar = (name: ParameterName): number => {
    into.touch(offsetOf[name], 1);
    return offsetOf[name];
  };
  const [oRepeat, oGamma, oPrice, oPromotion, oNovelty, oDescription] = (['repeatWeight', 'historyExponent', 'priceFit', 'promotion', 'novelty', 'descriptionWeight'] as const).map(scalar);
  into.touch(offsetOf.positionWeight, L);
  into.touch(offsetOf.categoryAffinity, shape.categories);

  const K = 1 + negatives.length;
  const candidate = new Int32Array(K);
  const score = new Float64Array(K);
  const r = new Float64Array(K);
  const similarity = new Float64Array(K);
  const q = new Float64Array(d);
  const dq = new Float64Array(d);
  const slots: number[] = [];
  const omega: number[] = [];
  // Per-row scratch sums, indexed by category and by item; only the history's entries are reset.
  const categoryMass = new Float64Array(shape.categories);
  const dCategoryMass = new Float64Array(shape.categories);
  const repeatMass = new Float64Array(shape.items);
  const dRepeatMass = new Float64Array(shape.items);
  let lossSum = 0;

  for (let b = 0; b < batch.size; b++) {
    // The row's history, weights and the sums every candidate shares.
    slots.length = 0;
    omega.length = 0;
    for (let j = 0; j < L; j++) if (batch.mask[b * L + j] !== 0) slots.push(j);
    const n = slots.length;
    const normalizer = n > 0 ? Math.pow(n, -gamma) : 0;
    q.fill(0);
    categoryMass.fill(0);
    let weightSum = 0;
    let priceSum = 0;
    for (const j of slots) {
      const h = batch.history[b * L + j];
      const w = softplus(pw[j]) * normalizer;
      omega.push(w);
      for (let k = 0; k < d; k++) q[k] += w * E[h * d + k];
      const c = features.category[h];
      categoryMass[c] += w;
      repeatMass[h] += w;
      weightSum += w;
      priceSum += w * features.logPrice[h];
    }
    const latest = n > 0 ? batch.history[b * L + L - 1] : -1;
    if (latest >= 0) for (let k = 0; k < d; k++) q[k] += X[latest * d + k];
    const mu = n > 0 ? priceSum / weightSum : 0;
    const store = batch.store[b];

    // Scores of the target (k = 0) and the negatives, then the softmax residuals r = ∂loss/∂s.
    const target = batch.target[b];
    candidate[0] = target;
    candidate.set(negatives, 1);
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const i = candidate[k];
      if (k > 0 && i === target) {
        score[k] = -Infinity; // the accidental hit, masked as the graph does
        continue;
      }
      let s = bias[i] + promotion * features.promotion[i] + novelty * features.novelty[i];
      for (let e = 0; e < d; e++) s += q[e] * F[i * d + e];
      s += repeat * repeatMass[i];
      similarity[k] = latest >= 0 ? descriptionSimilarity(features.description, latest, i) : 0;
      s += describedLike * similarity[k];
      const c = features.category[i];
      s += A[c] * categoryMass[c];
      if (n > 0) s -= priceWeight * (features.logPrice[i] - mu) ** 2;
      for (let e = 0; e < ds; e++) s += S[store * ds + e] * G[i * ds + e];
      score[k] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += Math.exp(score[k] - max);
    lossSum += Math.log(total) - (score[0] - max);
    for (let k = 0; k < K; k++) r[k] = (Math.exp(score[k] - max) / total - (k === 0 ? 1 : 0)) / batch.size;

    // Back through each candidate's score.
    into.touch(offsetOf.storeEmbedding + store * ds, ds);
    dq.fill(0);
    dCategoryMass.fill(0);
    let dMu = 0;
    for (let k = 0; k < K; k++) {
      const rk = r[k];
      if (rk === 0) continue;
      const i = candidate[k];
      into.touch(offsetOf.itemBias + i, 1);
      g[offsetOf.itemBias + i] += rk;
      g[oPromotion] += rk * features.promotion[i];
      g[oNovelty] += rk * features.novelty[i];
      into.touch(offsetOf.itemCandidate + i * d, d);
      for (let e = 0; e < d; e++) {
        g[offsetOf.itemCandidate + i * d + e] += rk * q[e];
        dq[e] += rk * F[i * d + e];
      }
      g[oDescription] += rk * similarity[k];
      if (repeatMass[i] !== 0) {
        g[oRepeat] += rk * repeatMass[i];
        dRepeatMass[i] += rk * repeat;
      }
      const c = features.category[i];
      g[offsetOf.categoryAffinity + c] += rk * categoryMass[c];
      dCategoryMass[c] += rk * A[c];
      if (n > 0) {
        const gap = features.logPrice[i] - mu;
        g[oPrice] -= rk * gap * gap * sigmoid(priceRaw);
        dMu += rk * 2 * priceWeight * gap;
      }
      into.touch(offsetOf.itemStore + i * ds, ds);
      for (let e = 0; e < ds; e++) {
        g[offsetOf.itemStore + i * ds + e] += rk * S[store * ds + e];
        g[offsetOf.storeEmbedding + store * ds + e] += rk * G[i * ds + e];
      }
    }
    if (latest >= 0) {
      into.touch(offsetOf.itemNext + latest * d, d);
      for (let e = 0; e < d; e++) g[offsetOf.itemNext + latest * d + e] += dq[e];
    }

    // Back through ω_j = softplus(pw_j) · n^(−γ) into the history rows and the two scalars.
    let dNormalizer = 0;
    slots.forEach((j, position) => {
      const h = batch.history[b * L + j];
      const w = omega[position];
      let dOmega = dRepeatMass[h] + dCategoryMass[features.category[h]] + (dMu * (features.logPrice[h] - mu)) / weightSum;
      into.touch(offsetOf.itemHistory + h * d, d);
      for (let e = 0; e < d; e++) {
        dOmega += E[h * d + e] * dq[e];
        g[offsetOf.itemHistory + h * d + e] += w * dq[e];
      }
      g[offsetOf.positionWeight + j] += dOmega * normalizer * sigmoid(pw[j]);
      dNormalizer += dOmega * softplus(pw[j]);
    });
    if (n > 0) g[oGamma] += dNormalizer * normalizer * -Math.log(n) * gamma * (1 - gamma);
    for (const j of slots) repeatMass[batch.history[b * L + j]] = dRepeatMass[batch.history[b * L + j]] = 0;
  }
  return lossSum / batch.size;
}
