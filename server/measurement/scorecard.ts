/**
 * The ethics scorecard for a period: one page a board or ethics committee reads, every figure with
 * its definition (`scorecard-markdown.ts` renders it). It gathers, without new measurement:
 * - consent: among named shoppers with a consent record, the share opted in and the share opted
 *   out at the end of the period, and the same at the end of each week of it (the trend);
 * - complaints (not-relevant and never-show feedback, from the sealed noised counters) per 1,000
 *   impressions (outcome events);
 * - the suppression list: entries in force and the shoppers they belong to;
 * - ε: the serving version's, and the deployment's lifetime ε from the privacy ledger;
 * - the uplift of revenue per shopper and of conversion against the holdout, with 95% intervals;
 * - the largest fairness-of-exposure gap;
 * - the serving version's approval record, and the audit chain's verification.
 */
import type { CatalogItem } from '../../models/data/retail-world.ts';
import { verifyAuditLog, type ModelLifecycle } from '../governance/index.ts';
import { loadLedger } from '../rounds/load-ledger.ts';
import type { ApprovalRecord, ConsentChange, FedrecStore } from '../store/index.ts';
import { fairnessFromTotals, sealedItemTotals, type FairnessReport } from './fairness-report.ts';
import { reportPeriod, type ReportPeriod } from './report-period.ts';
import { upliftReport, type UpliftReport } from './uplift-report.ts';
import { segmentRecall, type SegmentsReport } from './segment-recall.ts';

export interface ConsentPoint {
  at: string;
  asked: number;
  optInRate: number | null;
  optOutRate: number | null;
}

export interface Scorecard {
  period: { fromDay: string; toDay: string };
  generatedAt: string;
  consent: ConsentPoint & { trend: ConsentPoint[]; optInChange: number | null; optOutChange: number | null };
  complaints: { complaints: number; impressions: number; perThousandImpressions: number | null };
  suppressionList: { suppressions: number; shoppers: number };
  privacy: { servingVersion: number | null; servingEpsilon: number | null; lifetimeEpsilon: number | null; lifetimeBudget: number | null; delta: number };
  uplift: Pick<UpliftReport, 'withheld' | 'currency' | 'groups'> & { revenuePerShopper: { difference: number; low: number | null; high: number | null } | null; conversionRate: { difference: number; low: number | null; high: number | null } | null; cupedRevenuePerShopper: { difference: number; low: number | null; high: number | null; varianceReduction: number } | null; reason?: string };
  largestFairnessGap: FairnessReport['largestGap'];
  /** Recall@10 by shopper segment and its largest gap, from the serving version's federated evaluation (segment-recall.ts). */
  segmentRecall: SegmentsReport;
  approval: { version: number; approval: ApprovalRecord | null } | null;
  auditChain: { ok: boolean; entries: number; head: string; firstBadEntry: number | null };
}

export interface ScorecardDeps {
  store: FedrecStore;
  lifecycle: ModelLifecycle;
  catalog: readonly CatalogItem[];
  minCohort: number;
  currency: string;
}

/** @example await scorecard(deps, reportPeriod(new Date())) */
export async function scorecard(deps: ScorecardDeps, period: ReportPeriod, now: Date): Promise<Scorecard> {
  const { store } = deps;
  const [changes, totals, impressions, suppressions, uplift, models, ledger, audit] = await Promise.all([
    store.listConsentChanges({ to: period.to }),
    sealedItemTotals(store, deps.catalog, period),
    store.listOutcomeEvents({ from: period.from, to: period.to, kind: 'impression' }),
    store.countSuppressions(period.to < now.toISOString() ? period.to : now.toISOString()),
    upliftReport(store, period, { minCohort: deps.minCohort, currency: deps.currency }),
    deps.lifecycle.list(),
    loadLedger(store).then((l) => l.summary()),
    verifyAuditLog(store),
  ]);
  const trend = weekEnds(period).map((at) => consentAt(changes, at));
  const end = consentAt(changes, period.to);
  const start = consentAt(changes, new Date(Date.parse(period.from) - 1).toISOString());
  const change = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const complaints = [...totals.values()].reduce((a, t) => a + t.complaints, 0);
  const serving = models.find((m) => m.state === 'serving') ?? null;
  const fairness = fairnessFromTotals(deps.catalog, totals, period, await segmentRecall(store, serving));
  return {
    period: { fromDay: period.fromDay, toDay: period.toDay },
    generatedAt: now.toISOString(),
    consent: { ...end, trend, optInChange: change(end.optInRate, start.optInRate), optOutChange: change(end.optOutRate, start.optOutRate) },
    complaints: { complaints: Math.round(complaints), impressions: impressions.length, perThousandImpressions: impressions.length === 0 ? null : (1000 * Math.round(complaints)) / impressions.length },
    suppressionList: suppressions,
    privacy: { servingVersion: serving?.version ?? null, servingEpsilon: serving?.epsilon ?? null, lifetimeEpsilon: ledger.spent.epsilon, lifetimeBudget: ledger.budget?.epsilon ?? null, delta: ledger.spent.delta },
    uplift: {
      withheld: uplift.withheld,
      currency: uplift.currency,
      groups: uplift.groups,
      revenuePerShopper: uplift.withheld ? null : uplift.difference.revenuePerShopper,
      conversionRate: uplift.withheld ? null : uplift.difference.conversionRate,
      cupedRevenuePerShopper: uplift.withheld ? null : { ...uplift.cuped.revenuePerShopper, varianceReduction: uplift.cuped.varianceReduction },
      ...(uplift.withheld ? { reason: uplift.reason } : {}),
    },
    largestFairnessGap: fairness.largestGap,
    segmentRecall: fairness.segments,
    approval: serving ? { version: serving.version, approval: serving.approval } : null,
    auditChain: { ok: audit.ok, entries: audit.entries, head: audit.head, firstBadEntry: audit.firstBadEntry },
  };
}

/** Each shopper's latest consent at `at`, and the shares opted in and out among those asked. */
export function consentAt(changes: readonly ConsentChange[], at: string): ConsentPoint {
  const latest = new Map<string, ConsentChange['choice']>();
  for (const c of changes) if (c.time <= at) latest.set(c.pseudonym, c.choice);
  const choices = [...latest.values()];
  const asked = choices.length;
  return { at, asked, optInRate: asked === 0 ? null : choices.filter((c) => c === 'opted-in').length / asked, optOutRate: asked === 0 ? null : choices.filter((c) => c === 'opted-out').length / asked };
}

/** The end of each 7-day stretch from the period's start, and the period's end. */
function weekEnds(period: ReportPeriod): string[] {
  const ends: string[] = [];
  for (let t = Date.parse(period.from) + 7 * 86_400_000 - 1; t < Date.parse(period.to); t += 7 * 86_400_000) ends.push(new Date(t).toISOString());
  ends.push(period.to);
  return ends;
}

export { reportPeriod };
