/**
 * The data model (shopper, catalogue and world types, the leave-last-out split, the seeded random
 * source) and the recommender: its shape and weights layout, the typed-array scorer used for serving and
 * evaluation, the tfjs graph used for training, centralised training, and the metrics and
 * baselines every model is judged by. Other packages import from here only.
 */
export type { CatalogItem, RetailWorld, Shopper, Store } from './data/retail-world.ts';
export { leaveLastOut } from './data/leave-last-out.ts';
export type { HeldOutShopper, LeaveLastOutSplit } from './data/leave-last-out.ts';
export { SeededRandom } from './data/seeded-random.ts';
export { leaveLastOutWithValidation, timeSplit } from './data/evaluation-split.ts';
export type { EvaluationSplit, SplitKind, TimeSplitOptions } from './data/evaluation-split.ts';

export { selectBackend } from './backend/select-backend.ts';
export type { BackendName } from './backend/select-backend.ts';

export { defaultShapeHyperparameters, parameterShapes, sharedParameterNames } from './recommender/model-shape.ts';
export type { ModelShape, ParameterName } from './recommender/model-shape.ts';
export { ConceptScorer } from './recommender/concept-scorer.ts';
export type { ConceptMask, ConceptTerms, PreparedContext, ShopperContext } from './recommender/concept-scorer.ts';
export { RecommenderGraph } from './recommender/recommender-graph.ts';
export type { TrainingBatch } from './recommender/recommender-graph.ts';
export { defaultModelPriors, initializeWeights, modelMeta, withDescriptionPrior, withModelPriors, withRepeatPrior, type ModelPriors } from './recommender/initialize-weights.ts';
export type { ModelMeta, ModelVocabulary } from './recommender/initialize-weights.ts';
export { itemFeatures } from './recommender/item-features.ts';
export type { ItemFeatures } from './recommender/item-features.ts';
export { modelForWorld } from './recommender/model-for-world.ts';
export type { WorldModel } from './recommender/model-for-world.ts';
export { modelRanker } from './recommender/model-ranker.ts';

export { allocateWeights, cloneWeights, deserializeWeights, parameterView, serializeWeights } from './weights/model-weights.ts';
export type { ModelWeights, WeightsManifest } from './weights/model-weights.ts';

export { gatherBatch, trainingExamples } from './training/training-examples.ts';
export type { TrainingExamples } from './training/training-examples.ts';
export { sampleNegatives } from './training/sample-negatives.ts';
export { defaultCentralizedOptions, trainCentralized } from './training/train-centralized.ts';
export type { CentralizedOptions } from './training/train-centralized.ts';

export { cooccurrence, globalPopularity, storePopularity } from './evaluation/baselines.ts';
export { personalRepeat } from './evaluation/personal-repeat.ts';
export { itemKnn } from './evaluation/item-knn.ts';
export { defaultAlsOptions, implicitAls } from './evaluation/implicit-als.ts';
export type { AlsModel, AlsOptions } from './evaluation/implicit-als.ts';
export { evaluateRanker, metricSums, metricsFromSums } from './evaluation/evaluate-ranker.ts';
export type { MetricSums, RankingMetrics } from './evaluation/evaluate-ranker.ts';
export { ndcgAt, recallAt } from './evaluation/ranking-metrics.ts';
export type { Ranker, RankingQuery } from './evaluation/ranker.ts';
export { topK } from './recommender/top-k.ts';
