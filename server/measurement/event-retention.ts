/**
 * Outcome events and issued recommendations are kept for the configured window (default 90
 * days, `measurement-settings.ts`) and then purged; the server runs this with its guardrail
 * schedule, and an admin can run it on demand. A purge is audited with what it removed.
 */
import type { FedrecStore } from '../store/index.ts';
import { systemActor } from '../governance/index.ts';
import { readMeasurementSettings } from './measurement-settings.ts';

/** @example await purgeExpiredEvents(store, new Date()) // { before: '…', events: 120, recommendations: 40 } */
export async function purgeExpiredEvents(store: FedrecStore, now: Date, actor = systemActor): Promise<{ before: string; retentionDays: number; events: number; recommendations: number }> {
  const { retentionDays } = await readMeasurementSettings(store);
  const before = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const removed = await store.purgeMeasurement(before);
  if (removed.events + removed.recommendations > 0) await store.appendAudit({ actor, action: 'measurement.purged', target: 'outcome-events', details: { before, retentionDays, ...removed } });
  return { before, retentionDays, ...removed };
}
