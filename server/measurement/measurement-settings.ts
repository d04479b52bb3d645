/**
 * The measurement settings an admin sets: the holdout share, how long outcome events are kept and
 * the one currency purchases are reported in (fedrec converts none). Every change is a governance
 * setting, so it is written with its audit entry (before and after) in one transaction. A change
 * of share applies to shoppers not yet assigned only (`holdout-assignment.ts`).
 */
import { z } from 'zod';
import type { FedrecStore } from '../store/index.ts';

export const measurementSettingsSchema = z.strictObject({
  holdoutShare: z.number().min(0).max(0.5).default(0.05).describe('Share of named shoppers assigned to the holdout (non-personalised) group when first seen; shoppers already assigned keep their group.'),
  retentionDays: z.int().min(1).max(3650).default(90).describe('Days outcome events and issued recommendations are kept; older ones are purged.'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('EUR').describe('ISO 4217 code of the deployment’s purchases; a purchase in another currency is refused.'),
});

export type MeasurementSettings = z.output<typeof measurementSettingsSchema>;

export const measurementSettingsName = 'measurement';

/** The settings in force (the defaults until an admin sets them). */
export async function readMeasurementSettings(store: Pick<FedrecStore, 'getSetting'>): Promise<MeasurementSettings> {
  return measurementSettingsSchema.parse((await store.getSetting(measurementSettingsName)) ?? {});
}

/** @example await writeMeasurementSettings(store, { holdoutShare: 0.1 }, principal.keyId) */
export async function writeMeasurementSettings(store: FedrecStore, change: Partial<MeasurementSettings>, actor: string): Promise<MeasurementSettings> {
  const before = await readMeasurementSettings(store);
  const after = measurementSettingsSchema.parse({ ...before, ...change });
  await store.putSetting(measurementSettingsName, after, { actor, action: 'measurement.settings-changed', target: measurementSettingsName, details: { before, after } });
  return after;
}
