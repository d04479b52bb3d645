/**
 * The measurement reports on the trust panel: the scorecard as its route reports it, with the
 * consent trend drawn (`GET /v1/reports/scorecard`), the fairness report's exposure against merit
 * per group (`GET /v1/reports/fairness`) and uplift with its 95% intervals (`GET /v1/reports/uplift`).
 */
import { describeError } from '../../api-client.ts';
import { categoryBarChart } from '../../charts/category-bar-chart.ts';
import { seriesChart } from '../../charts/series-chart.ts';
import { h, formatNumber, replace, table } from '../../element.ts';
import type { PanelContext } from '../../panel.ts';

interface Difference {
  difference: number;
  low: number | null;
  high: number | null;
}

interface Group {
  shoppers: number;
  conversionRate: number;
  conversionInterval: { low: number; high: number };
  revenuePerShopper: number;
  clickThrough: number;
}

interface Gap {
  dimension: string;
  group: string;
  against: string;
  exposureShare: number;
  comparedShare: number;
  gap: number;
}

interface ConsentPoint {
  at: string;
  asked: number;
  optInRate: number | null;
  optOutRate: number | null;
}

interface Scorecard {
  period: { fromDay: string; toDay: string };
  consent: ConsentPoint & { trend: ConsentPoint[]; optInChange: number | null };
  complaints: { complaints: number; impressions: number; perThousandImpressions: number | null };
  suppressionList: { suppressions: number; shoppers: number };
  privacy: { servingVersion: number | null; servingEpsilon: number | null; lifetimeEpsilon: number | null; lifetimeBudget: number | null; delta: number };
  uplift: { withheld: boolean; currency: string; revenuePerShopper: Difference | null; conversionRate: Difference | null; reason?: string };
  largestFairnessGap: Gap | null;
  approval: { version: number; approval: { by: string; at: string; reason: string } | null } | null;
  auditChain: { ok: boolean; entries: number };
}

interface GroupExposure {
  group: string;
  exposureShare: number;
  meritShare: number | null;
  catalogueShare: number;
  gapToMerit: number | null;
}

interface Fairness {
  period: { fromDay: string; toDay: string };
  recommendations: number;
  dimensions: Record<string, GroupExposure[]>;
  largestGap: Gap | null;
  segments: { available: false; reason: string } | { available: true; version: number; round: number; segments: { segment: string; 'recall@10': number; evaluated: number }[]; largestGap: { highest: string; lowest: string; gap: number } };
}

interface Uplift {
  period: { fromDay: string; toDay: string };
  currency: string;
  withheld: boolean;
  reason?: string;
  groups: { treatment: Group; holdout: Group };
  difference?: { conversionRate: Difference; revenuePerShopper: Difference; clickThrough: Difference };
}

const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${formatNumber(100 * value, 3)}%`);
const interval = (d: Difference | null | undefined, scale = (v: number) => formatNumber(v, 3)): string => (!d ? '—' : `${scale(d.difference)} (95% interval ${d.low === null ? '—' : scale(d.low)} to ${d.high === null ? '—' : scale(d.high)})`);
const gapText = (g: Gap | null): string => (g ? `${g.dimension} “${g.group}”: exposure share ${percent(g.exposureShare)} against ${g.against} share ${percent(g.comparedShare)} (gap ${formatNumber(g.gap, 3)})` : 'no gap measured yet');

function section(id: string, title: string, body: HTMLElement): HTMLElement {
  return h('section', { 'aria-labelledby': `${id}-title` }, h('h3', { id: `${id}-title` }, title), body);
}

export function scorecardSection(context: PanelContext, destroy: (() => void)[]): HTMLElement {
  const holder = h('div', { id: 'scorecard' }, 'Reading the scorecard…');
  context.api.get<Scorecard>('/v1/reports/scorecard').then(
    (card) => {
      const trend = seriesChart('chart-consent-trend', 'Consent trend: opt-in and opt-out rates of shoppers asked', [{ label: 'opt-in rate' }, { label: 'opt-out rate' }], { yTitle: 'share of shoppers asked' });
      destroy.push(trend.destroy);
      replace(
        holder,
        h('p', {}, `Period ${card.period.fromDay} to ${card.period.toDay}.`),
        h(
          'dl',
          { class: 'scorecard' },
          h('dt', {}, 'Consent'), h('dd', { id: 'scorecard-consent' }, `${percent(card.consent.optInRate)} opted in of ${card.consent.asked} asked (change ${card.consent.optInChange === null ? '—' : formatNumber(card.consent.optInChange, 3)})`),
          h('dt', {}, 'Complaints'), h('dd', {}, `${card.complaints.complaints} of ${card.complaints.impressions} impressions (${formatNumber(card.complaints.perThousandImpressions, 3)} per 1,000)`),
          h('dt', {}, 'Suppression list'), h('dd', {}, `${card.suppressionList.suppressions} items for ${card.suppressionList.shoppers} shoppers`),
          h('dt', {}, 'Privacy'), h('dd', {}, `serving v${card.privacy.servingVersion ?? '—'} at ε ${formatNumber(card.privacy.servingEpsilon, 3)}; lifetime ε ${formatNumber(card.privacy.lifetimeEpsilon, 3)}${card.privacy.lifetimeBudget === null ? '' : ` of ${card.privacy.lifetimeBudget}`} (δ ${card.privacy.delta})`),
          h('dt', {}, 'Uplift'), h('dd', {}, card.uplift.withheld ? `withheld: ${card.uplift.reason ?? 'small cohorts'}` : `revenue per shopper ${interval(card.uplift.revenuePerShopper)} ${card.uplift.currency}; conversion ${interval(card.uplift.conversionRate, percent)}`),
          h('dt', {}, 'Largest fairness gap'), h('dd', {}, gapText(card.largestFairnessGap)),
          h('dt', {}, 'Approval'), h('dd', {}, card.approval?.approval ? `v${card.approval.version} by ${card.approval.approval.by} at ${card.approval.approval.at}: “${card.approval.approval.reason}”` : 'no approved version serves'),
          h('dt', {}, 'Audit chain'), h('dd', {}, card.auditChain.ok ? `intact (${card.auditChain.entries} entries)` : 'BROKEN'),
        ),
        trend.element,
      );
      // The trend's points are dated, not numbered rounds: the x axis counts them, the table names their days.
      trend.set(card.consent.trend.map((_, i) => i + 1), card.consent.trend.map((p) => [p.optInRate, p.optOutRate]));
      holder.append(table('Consent trend points', ['point', 'day', 'asked'], card.consent.trend.map((p, i) => [String(i + 1), p.at, String(p.asked)])));
    },
    (error: unknown) => replace(holder, `Could not read the scorecard: ${describeError(error)}`),
  );
  return section('scorecard', 'Scorecard', holder);
}

export function fairnessSection(context: PanelContext, destroy: (() => void)[]): HTMLElement {
  const holder = h('div', { id: 'fairness' }, 'Reading the fairness report…');
  context.api.get<Fairness>('/v1/reports/fairness').then(
    (report) => {
      const categories = report.dimensions.category ?? [];
      const chart = categoryBarChart('chart-fairness', 'Exposure share against purchase (merit) share, by category', categories.map((g) => g.group), [{ label: 'exposure share', values: categories.map((g) => g.exposureShare) }, { label: 'merit share', values: categories.map((g) => g.meritShare ?? 0) }], 'share');
      destroy.push(chart.destroy);
      replace(
        holder,
        h('p', { id: 'fairness-largest-gap' }, `Largest gap: ${gapText(report.largestGap)}. ${report.recommendations} recommendations, ${report.period.fromDay} to ${report.period.toDay} (sealed, noised days).`),
        chart.element,
        ...Object.entries(report.dimensions)
          .filter(([dimension]) => dimension !== 'category')
          .map(([dimension, groups]) => table(`Exposure by ${dimension}`, ['group', 'exposure share', 'merit share', 'catalogue share', 'gap to merit'], groups.map((g) => [g.group, percent(g.exposureShare), percent(g.meritShare), percent(g.catalogueShare), formatNumber(g.gapToMerit, 3)]))),
        report.segments.available
          ? table(
              `Recall@10 by shopper segment (version ${report.segments.version}, round ${report.segments.round}; largest gap ${report.segments.largestGap.highest} − ${report.segments.largestGap.lowest} ${formatNumber(report.segments.largestGap.gap, 3)})`,
              ['segment', 'recall@10', 'evaluated (noised)'],
              report.segments.segments.map((x) => [x.segment, percent(x['recall@10']), String(x.evaluated)]),
            )
          : h('p', {}, `Segments: ${report.segments.reason}`),
      );
    },
    (error: unknown) => replace(holder, `Could not read the fairness report: ${describeError(error)}`),
  );
  return section('fairness', 'Fairness', holder);
}

export function upliftSection(context: PanelContext): HTMLElement {
  const holder = h('div', { id: 'uplift' }, 'Reading the uplift report…');
  context.api.get<Uplift>('/v1/reports/uplift').then(
    (report) => {
      const { treatment, holdout } = report.groups;
      const row = (name: string, g: Group) => [name, String(g.shoppers), `${percent(g.conversionRate)} (${percent(g.conversionInterval.low)} to ${percent(g.conversionInterval.high)})`, `${formatNumber(g.revenuePerShopper, 3)} ${report.currency}`, percent(g.clickThrough)];
      replace(
        holder,
        h('p', {}, `Personalised (treatment) against the holdout, ${report.period.fromDay} to ${report.period.toDay}.`),
        table('Uplift groups', ['group', 'shoppers', 'conversion (Wilson 95%)', 'revenue per shopper', 'click-through'], [row('treatment', treatment), row('holdout', holdout)]),
        report.withheld || !report.difference
          ? h('p', { id: 'uplift-difference' }, `Difference withheld: ${report.reason ?? 'too few shoppers'}.`)
          : h('p', { id: 'uplift-difference' }, `Treatment − holdout: conversion ${interval(report.difference.conversionRate, percent)}; revenue per shopper ${interval(report.difference.revenuePerShopper)} ${report.currency}; click-through ${interval(report.difference.clickThrough, percent)}.`),
      );
    },
    (error: unknown) => replace(holder, `Could not read the uplift report: ${describeError(error)}`),
  );
  return section('uplift', 'Uplift', holder);
}
