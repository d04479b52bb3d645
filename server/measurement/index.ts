/**
 * Measurement, transport-free: outcome events and their retention, the holdout group, the uplift,
 * fairness-of-exposure and scorecard reports, and the guardrails that kill the serving model.
 */
export { clockSkewMs, ingestOutcomeEvents, maxEventsPerBatch, maxImpressionItemsPerBatch } from './outcome-events.ts';
export type { OutcomeContext, OutcomeInput } from './outcome-events.ts';
export { purgeExpiredEvents } from './event-retention.ts';
export { HoldoutAssigner, holdoutDraw, holdoutSalt, holdoutSaltName } from './holdout-assignment.ts';
export { IssuedRecommendationLog, newRecommendationId } from './issued-recommendations.ts';
export { measurementSettingsName, measurementSettingsSchema, readMeasurementSettings, writeMeasurementSettings } from './measurement-settings.ts';
export type { MeasurementSettings } from './measurement-settings.ts';
export { moments, newcombeDifference, studentTQuantile, welchDifference, wilsonInterval, z95 } from './interval-estimates.ts';
export { prePeriod, reportPeriod } from './report-period.ts';
export type { ReportPeriod } from './report-period.ts';
export { upliftReport } from './uplift-report.ts';
export type { UpliftReport } from './uplift-report.ts';
export { fairnessDimensions, fairnessReport, groupOf, priceBands } from './fairness-report.ts';
export type { FairnessReport } from './fairness-report.ts';
export { scorecard } from './scorecard.ts';
export type { Scorecard } from './scorecard.ts';
export { renderScorecardMarkdown } from './scorecard-markdown.ts';
export { checkGuardrails, guardrailPrincipal, guardrailSettingsName, guardrailSettingsSchema, readGuardrailSettings, scheduleGuardrails, writeGuardrailSettings } from './guardrails.ts';
export type { Guardrail, GuardrailCheck, GuardrailSettings } from './guardrails.ts';
