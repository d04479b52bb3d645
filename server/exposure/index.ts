/**
 * The merchant view: aggregate counters of why items are recommended (written in batches off the
 * hot path) and the per-item report read from them, with small cohorts withheld.
 */
export { ExposureRecorder } from './exposure-recorder.ts';
export type { ExposureRecorderOptions } from './exposure-recorder.ts';
export { recordRecommendations } from './record-recommendations.ts';
export { defaultMinCohort, itemExposureReport } from './item-exposure-report.ts';
export type { ExposureBreakdown, ItemExposureReport, ReasonShare } from './item-exposure-report.ts';
export { shopperSegment, shopperSegments } from './shopper-segment.ts';
export type { ShopperSegment } from './shopper-segment.ts';
export { exposureKeys, feedbackCell, outcomeCell, positionWeight, unknownStoreId, utcDay } from './exposure-keys.ts';
export { complaintReport } from './complaint-report.ts';
export type { ComplaintReport, ComplaintRate } from './complaint-report.ts';
export { attributionBound, countedItemsPerRequest, defaultSealNoiseStd, exposureRequestEpsilon, requestSensitivity, sealPastDays } from './seal-day.ts';
export type { SealOptions } from './seal-day.ts';
