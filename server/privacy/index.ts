/**
 * Differential privacy for fedrec's training rounds: the RDP accountant of the sampled Gaussian
 * mechanism, noise calibration, secure noise and sampling, and adaptive clipping. Transport-free:
 * nothing here knows about express or socket.io.
 */
export { DEFAULT_RDP_ORDERS, extendOrders } from './rdp-orders.ts';
export { sampledGaussianRdp, sampledGaussianRdpCurve } from './sampled-gaussian-rdp.ts';
export type { SampledGaussian } from './sampled-gaussian-rdp.ts';
export { composeRdp, computeEpsilon, epsilonFromRdp } from './rdp-to-epsilon.ts';
export type { EpsilonResult, RoundSpec } from './rdp-to-epsilon.ts';
export { PrivacyAccountant } from './privacy-accountant.ts';
export type { AccountantState } from './privacy-accountant.ts';
export { calibrateNoise } from './calibrate-noise.ts';
export type { CalibrationTarget } from './calibrate-noise.ts';
// Secure randomness, Gaussian draws and Poisson sampling live in the protocol package, which the
// store clients import too; they are re-exported here for the coordinator's DP code.
export { CryptoRandomSource, SeededRandomSource, addGaussian, defaultRandomSource, fillGaussian, poissonSample, standardNormal } from '../../protocol/index.ts';
export type { RandomSource } from '../../protocol/index.ts';
export { effectiveNoiseMultiplier, updateClipNorm, updateNoiseMultiplierFor } from './adaptive-clip.ts';
export type { ClipNormRound } from './adaptive-clip.ts';
export { baselineMetric, baselineNames, combinedNoiseMultiplier, evaluationNoiseMultiplier, noiseBaselineSums, noiseMetricSums, releaseMetrics, roundReleases } from './metric-release.ts';
export type { BaselineName, MetricPrivacy, NoisedMetricSums, QueryPart, RoundMetricSums } from './metric-release.ts';
export { exactSegmentMetrics, noiseSegmentedEvaluation, noiseSegmentSums, overallFromSegments, releaseSegmentMetrics, segmentMetricKey } from './segment-release.ts';
export type { BandSums, SegmentSums } from './segment-release.ts';
export { PrivacyLedger } from './privacy-ledger.ts';
export type { LedgerSummary, LifetimeBudget } from './privacy-ledger.ts';
