/**
 * The deployment's promotion gates, set by an admin: a version may serve only if its recall@10
 * from the job's federated (DP) evaluation is at least the floor, its ε at most the ceiling, and
 * (once fairness is measured) its fairness gap at most that ceiling. A gate without a threshold
 * is off. Separation of duties (the key that started a job may not approve its versions) is
 * configured beside them.
 */
import { z } from 'zod';
import type { FedrecStore, GateResult, ModelVersionRecord } from '../store/index.ts';

export const governanceSettingsSchema = z.strictObject({
  recallAt10Floor: z.number().min(0).max(1).nullable().default(null).describe('Smallest recall@10 of the job’s federated evaluation a version may serve with; null: no floor.'),
  epsilonCeiling: z.number().positive().nullable().default(null).describe('Largest ε a version may have spent; null: no ceiling. A version trained without DP has ε = ∞.'),
  fairnessGapCeiling: z.number().nonnegative().nullable().default(null).describe('Largest fairness gap a version may have: its metric `fairnessGap` if it has one, else the fairness probe’s largest |exposure share − purchase share| over item groups (`server/measurement/fairness-probe.ts`); null: no ceiling.'),
  separationOfDuties: z.boolean().default(false).describe('true: the key that started a job, or a key under the same holder name, may not approve a version the job trained.'),
});

export type GovernanceSettings = z.output<typeof governanceSettingsSchema>;

export const settingsName = 'governance';

/** The settings in force (the defaults until an admin sets them). */
export async function readGovernanceSettings(store: FedrecStore): Promise<GovernanceSettings> {
  const stored = await store.getSetting(settingsName);
  return governanceSettingsSchema.parse(stored ?? {});
}

/**
 * Each configured gate's value, threshold and verdict for one version.
 * @example const results = await evaluateGates(store, record, settings); results.every((g) => g.passed)
 */
/** Measures a version's fairness gap when its metrics have none (the fairness probe). */
export type FairnessGapMeasure = (version: number) => Promise<{ value: number | null; source: string }>;

export async function evaluateGates(store: FedrecStore, record: ModelVersionRecord, settings: GovernanceSettings, measureFairnessGap?: FairnessGapMeasure): Promise<GateResult[]> {
  const results: GateResult[] = [];
  if (settings.recallAt10Floor !== null) {
    const { value, source } = await evaluatedRecall(store, record);
    results.push({ gate: 'recall@10', value, threshold: settings.recallAt10Floor, passed: value !== null && value >= settings.recallAt10Floor, source });
  }
  if (settings.epsilonCeiling !== null) {
    // JSON has no Infinity: a version without DP reports null and fails any ceiling.
    const value = record.epsilon;
    const source = value === null ? 'trained without differential privacy (ε = ∞)' : `privacy accountant after round ${record.round}`;
    results.push({ gate: 'epsilon', value, threshold: settings.epsilonCeiling, passed: value !== null && value <= settings.epsilonCeiling, source });
  }
  if (settings.fairnessGapCeiling !== null) {
    const own = record.metrics.fairnessGap;
    const { value, source } = own !== undefined ? { value: own, source: 'version metrics' } : measureFairnessGap ? await measureFairnessGap(record.version) : { value: null, source: 'not measured for this version' };
    results.push({ gate: 'fairness-gap', value, threshold: settings.fairnessGapCeiling, passed: value !== null && value <= settings.fairnessGapCeiling, source });
  }
  return results;
}

/**
 * The version's own recall@10 if its round evaluated, else the job's latest evaluation at or
 * before that round (`evaluateEvery` > 1 leaves rounds unevaluated).
 */
async function evaluatedRecall(store: FedrecStore, record: ModelVersionRecord): Promise<{ value: number | null; source: string }> {
  const own = record.metrics['recall@10'];
  if (own !== undefined) return { value: own, source: `federated evaluation of round ${record.round}${record.jobId ? ` of job ${record.jobId}` : ''}` };
  if (record.jobId === null) return { value: null, source: 'not trained by a job, so never evaluated' };
  const evaluated = (await store.listRounds(record.jobId)).filter((r) => r.round <= record.round && r.metrics['recall@10'] !== undefined);
  const latest = evaluated[evaluated.length - 1];
  return latest ? { value: latest.metrics['recall@10'], source: `federated evaluation of round ${latest.round} of job ${record.jobId}` } : { value: null, source: `job ${record.jobId} has no evaluation up to round ${record.round}` };
}
