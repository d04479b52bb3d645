/**
 * The uplift of personalisation against the holdout, for a period. Who is analysed: every named
 * shopper with at least one impression in the period, in the group the server assigned them
 * (intention to treat: a treatment shopper who is not personalised, say one who opted out, stays
 * in treatment). Per group: shoppers, conversion (share of shoppers with a purchase), revenue per
 * shopper (purchase values summed per shopper, averaged over shoppers, zeros included) and
 * click-through (clicks on recommended items ÷ impressions). The differences (treatment −
 * holdout) come with 95% intervals: Newcombe's hybrid score interval for the proportions (Newcombe
 * 1998), Welch's for revenue per shopper (Welch 1947). Click-through's interval treats impressions
 * as independent, which they are not quite (one shopper sees many), so it is narrower than the
 * truth; conversion and revenue are per shopper and have no such problem.
 *
 * CUPED (Deng, Xu, Kohavi & Walker 2013): with X each shopper's revenue in the pre-period (the same
 * number of days just before) and Y in the period, Y' = Y − θ(X − X̄) with θ = cov(Y, X) / var(X)
 * over both groups pooled; the difference of Y' means is the adjusted estimate (Welch interval).
 * var(Y') = (1 − ρ²) var(Y), ρ the pooled correlation of Y and X: `varianceRatio` is 1 − ρ², and
 * `varianceReduction` the share removed, ρ².
 *
 * Not noised: it is the retailer's report about its own shoppers' purchases, which the retailer
 * already holds in full, and it releases only group means; a group of fewer than `minCohort`
 * shoppers is withheld, so no figure describes a handful of people.
 */
import type { ExperimentGroup, FedrecStore, OutcomeEvent } from '../store/index.ts';
import { moments, newcombeDifference, welchDifference, wilsonInterval, type Interval } from './interval-estimates.ts';
import { prePeriod, type ReportPeriod } from './report-period.ts';

export interface GroupFigures {
  shoppers: number;
  converted: number;
  conversionRate: number;
  conversionInterval: Interval;
  revenue: number;
  revenuePerShopper: number;
  impressions: number;
  clicks: number;
  clickThrough: number;
  clickThroughInterval: Interval;
}

export interface Difference {
  difference: number;
  low: number | null;
  high: number | null;
}

export type UpliftReport = {
  period: { fromDay: string; toDay: string };
  prePeriod: { fromDay: string; toDay: string };
  currency: string;
  minCohort: number;
  noised: false;
  groups: Record<ExperimentGroup, GroupFigures>;
} & (
  | { withheld: true; reason: string }
  | {
      withheld: false;
      difference: { conversionRate: Difference; revenuePerShopper: Difference & { df: number | null }; clickThrough: Difference };
      cuped: { theta: number; correlation: number; varianceRatio: number; varianceReduction: number; revenuePerShopper: Difference & { df: number | null } };
    }
);

interface Shopper {
  group: ExperimentGroup;
  revenue: number;
  preRevenue: number;
  purchased: boolean;
  impressions: number;
  clicks: number;
}

/** @example await upliftReport(store, reportPeriod(new Date()), { minCohort: 20, currency: 'EUR' }) */
export async function upliftReport(store: Pick<FedrecStore, 'listOutcomeEvents'>, period: ReportPeriod, options: { minCohort: number; currency: string }): Promise<UpliftReport> {
  const pre = prePeriod(period);
  const [events, preEvents] = await Promise.all([store.listOutcomeEvents({ from: period.from, to: period.to }), store.listOutcomeEvents({ from: pre.from, to: pre.to, kind: 'purchase' })]);
  const shoppers = shoppersOf(events);
  for (const e of preEvents) {
    const s = shoppers.get(e.pseudonym);
    if (s) s.preRevenue += e.value ?? 0;
  }
  const all = [...shoppers.values()];
  const byGroup = (g: ExperimentGroup) => all.filter((s) => s.group === g);
  const treatment = byGroup('treatment');
  const holdout = byGroup('holdout');
  const base = { period: { fromDay: period.fromDay, toDay: period.toDay }, prePeriod: { fromDay: pre.fromDay, toDay: pre.toDay }, currency: options.currency, minCohort: options.minCohort, noised: false as const, groups: { treatment: figures(treatment), holdout: figures(holdout) } };
  if (treatment.length < options.minCohort || holdout.length < options.minCohort) return { ...base, withheld: true, reason: `a group has fewer than ${options.minCohort} shoppers with an impression in the period` };
  const t = base.groups.treatment;
  const h = base.groups.holdout;
  const welch = (a: number[], b: number[]) => {
    const w = welchDifference(moments(a), moments(b));
    return { difference: w.difference, low: w.interval?.low ?? null, high: w.interval?.high ?? null, df: w.df };
  };
  return {
    ...base,
    withheld: false,
    difference: {
      conversionRate: newcombeDifference(t.converted, t.shoppers, h.converted, h.shoppers),
      revenuePerShopper: welch(treatment.map((s) => s.revenue), holdout.map((s) => s.revenue)),
      clickThrough: newcombeDifference(t.clicks, t.impressions, h.clicks, h.impressions),
    },
    cuped: cuped(treatment, holdout, welch),
  };
}

function shoppersOf(events: readonly OutcomeEvent[]): Map<string, Shopper> {
  const shoppers = new Map<string, Shopper>();
  for (const e of events) {
    if (e.kind !== 'impression' || shoppers.has(e.pseudonym)) continue;
    shoppers.set(e.pseudonym, { group: e.group, revenue: 0, preRevenue: 0, purchased: false, impressions: 0, clicks: 0 });
  }
  for (const e of events) {
    const s = shoppers.get(e.pseudonym);
    if (!s) continue;
    if (e.kind === 'impression') s.impressions++;
    else if (e.kind === 'click' && e.recommendationId !== null) s.clicks++;
    else if (e.kind === 'purchase') {
      s.purchased = true;
      s.revenue += e.value ?? 0;
    }
  }
  return shoppers;
}

function figures(shoppers: readonly Shopper[]): GroupFigures {
  const n = shoppers.length;
  const converted = shoppers.filter((s) => s.purchased).length;
  const revenue = shoppers.reduce((a, s) => a + s.revenue, 0);
  const impressions = shoppers.reduce((a, s) => a + s.impressions, 0);
  const clicks = shoppers.reduce((a, s) => a + s.clicks, 0);
  return {
    shoppers: n,
    converted,
    conversionRate: n === 0 ? 0 : converted / n,
    conversionInterval: wilsonInterval(converted, n),
    revenue,
    revenuePerShopper: n === 0 ? 0 : revenue / n,
    impressions,
    clicks,
    clickThrough: impressions === 0 ? 0 : clicks / impressions,
    clickThroughInterval: wilsonInterval(clicks, impressions),
  };
}

/** Deng et al. 2013, Sec. 3.2: θ from both groups pooled, so the adjustment does not depend on the treatment. */
function cuped(treatment: Shopper[], holdout: Shopper[], welch: (a: number[], b: number[]) => Difference & { df: number | null }) {
  const all = [...treatment, ...holdout];
  const x = moments(all.map((s) => s.preRevenue));
  const y = moments(all.map((s) => s.revenue));
  const covariance = all.length < 2 ? 0 : all.reduce((a, s) => a + (s.preRevenue - x.mean) * (s.revenue - y.mean), 0) / (all.length - 1);
  const theta = x.variance === 0 ? 0 : covariance / x.variance;
  const correlation = x.variance === 0 || y.variance === 0 ? 0 : covariance / Math.sqrt(x.variance * y.variance);
  const adjusted = (s: Shopper) => s.revenue - theta * (s.preRevenue - x.mean);
  return { theta, correlation, varianceRatio: 1 - correlation ** 2, varianceReduction: correlation ** 2, revenuePerShopper: welch(treatment.map(adjusted), holdout.map(adjusted)) };
}
