/**
 * The two rates guardrails watch, over a window, per experiment group and per model version:
 * - complaint rate: not-relevant and never-show feedback per 1,000 impressions. By group, a
 *   complaint counts under the complaining shopper's assignment (anonymous feedback has none); by
 *   version, under the version the feedback names; impressions under the group and the version
 *   the server stored with them.
 * - opt-out rate: shoppers whose consent moved to opted-out in the window ÷ shoppers with an
 *   impression in the window. By version, an opt-out counts under the version of the shopper's
 *   latest impression before it.
 * `treatmentByVersion` is the treatment group's under one version: a holdout guardrail compares the
 * serving version's personalised shoppers with the holdout, so what an earlier, killed version did
 * to its shoppers does not count against the next one.
 * Read from the raw events and feedback: guardrails are the deployment's own safety check, never
 * released to anyone beyond the figures in the audit entry of a kill.
 */
import type { ExperimentGroup, FedrecStore } from '../store/index.ts';

export interface Rate {
  /** Complaints, or shoppers who opted out. */
  count: number;
  /** Impressions, or shoppers with an impression. */
  base: number;
  /** Per 1,000 impressions, or a share of shoppers. */
  rate: number;
}

export interface GuardrailFigures {
  byGroup: Record<ExperimentGroup, { complaints: Rate; optOuts: Rate }>;
  byVersion: Map<number, { complaints: Rate; optOuts: Rate }>;
  /** The treatment group's rates under one version: what the holdout baseline is compared with. */
  treatmentByVersion: Map<number, { complaints: Rate; optOuts: Rate }>;
}

const complaintKinds = new Set(['not-relevant', 'never-show']);

/** @example await guardrailFigures(store, { from: '2026-12-01T00:00:00.000Z', to: new Date().toISOString() }) */
export async function guardrailFigures(store: Pick<FedrecStore, 'listOutcomeEvents' | 'listFeedbackBetween' | 'listConsentChanges' | 'listHoldoutAssignments'>, window: { from: string; to: string }): Promise<GuardrailFigures> {
  const [impressions, feedback, consent, assignments] = await Promise.all([
    store.listOutcomeEvents({ ...window, kind: 'impression' }),
    store.listFeedbackBetween(window),
    store.listConsentChanges(window),
    store.listHoldoutAssignments(),
  ]);
  const groupOf = new Map(assignments.map((a) => [a.pseudonym, a.group]));
  const tally = () => ({ complaints: 0, impressions: 0, optedOut: new Set<string>(), shoppers: new Set<string>() });
  const groups = { treatment: tally(), holdout: tally() };
  const versions = new Map<number, ReturnType<typeof tally>>();
  const treated = new Map<number, ReturnType<typeof tally>>();
  const of = (map: Map<number, ReturnType<typeof tally>>, v: number) => map.get(v) ?? (map.set(v, tally()), map.get(v)!);
  const version = (v: number) => of(versions, v);
  const latest = new Map<string, { at: string; version: number | null }[]>();
  for (const e of impressions) {
    groups[e.group].impressions++;
    groups[e.group].shoppers.add(e.pseudonym);
    if (e.modelVersion !== null) {
      for (const t of e.group === 'treatment' ? [version(e.modelVersion), of(treated, e.modelVersion)] : [version(e.modelVersion)]) {
        t.impressions++;
        t.shoppers.add(e.pseudonym);
      }
    }
    latest.set(e.pseudonym, [...(latest.get(e.pseudonym) ?? []), { at: e.at, version: e.modelVersion }]);
  }
  for (const f of feedback) {
    if (!complaintKinds.has(f.kind)) continue;
    const g = f.pseudonym === null ? undefined : groupOf.get(f.pseudonym);
    if (g) groups[g].complaints++;
    version(f.modelVersion).complaints++;
    if (g === 'treatment') of(treated, f.modelVersion).complaints++;
  }
  for (const c of consent) {
    if (c.choice !== 'opted-out') continue;
    const g = groupOf.get(c.pseudonym);
    if (g && groups[g].shoppers.has(c.pseudonym)) groups[g].optedOut.add(c.pseudonym);
    const before = (latest.get(c.pseudonym) ?? []).filter((i) => i.at <= c.time).pop();
    if (before?.version != null) {
      version(before.version).optedOut.add(c.pseudonym);
      if (g === 'treatment') of(treated, before.version).optedOut.add(c.pseudonym);
    }
  }
  const rates = (t: ReturnType<typeof tally>) => ({
    complaints: { count: t.complaints, base: t.impressions, rate: t.impressions === 0 ? 0 : (1000 * t.complaints) / t.impressions },
    optOuts: { count: t.optedOut.size, base: t.shoppers.size, rate: t.shoppers.size === 0 ? 0 : t.optedOut.size / t.shoppers.size },
  });
  const byVersion = (map: Map<number, ReturnType<typeof tally>>) => new Map([...map].map(([v, t]) => [v, rates(t)]));
  return { byGroup: { treatment: rates(groups.treatment), holdout: rates(groups.holdout) }, byVersion: byVersion(versions), treatmentByVersion: byVersion(treated) };
}
