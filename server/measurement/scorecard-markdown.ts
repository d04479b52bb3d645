/**
 * The scorecard as one page of markdown for an ethics committee: each figure in a table row with
 * its definition beside it, so the page can be read without this code.
 */
import type { Scorecard } from './scorecard.ts';

const percent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(digits)}%`);
const points = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} pp`);
const number = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));
const interval = (d: { difference: number; low: number | null; high: number | null } | null, format: (x: number) => string) =>
  d === null ? 'withheld' : `${format(d.difference)} (95% CI ${d.low === null ? 'n/a' : format(d.low)} to ${d.high === null ? 'n/a' : format(d.high)})`;

/** @example renderScorecardMarkdown(await scorecard(deps, period, new Date())) */
export function renderScorecardMarkdown(card: Scorecard): string {
  const money = (x: number) => `${x.toFixed(2)} ${card.uplift.currency}`;
  const gap = card.largestFairnessGap;
  const approval = card.approval?.approval;
  const rows: [string, string, string][] = [
    ['Opt-in rate', `${percent(card.consent.optInRate)} (${points(card.consent.optInChange)} over the period)`, `Named shoppers whose latest consent at ${card.period.toDay} is opted-in, of the ${card.consent.asked} with a consent record`],
    ['Opt-out rate', `${percent(card.consent.optOutRate)} (${points(card.consent.optOutChange)} over the period)`, 'The same shoppers whose latest consent is opted-out'],
    ['Trend (opt-in / opt-out)', card.consent.trend.map((p) => `${p.at.slice(0, 10)}: ${percent(p.optInRate, 0)} / ${percent(p.optOutRate, 0)}`).join('; '), 'The two rates at the end of each week of the period'],
    ['Complaint rate', `${number(card.complaints.perThousandImpressions)} per 1,000 impressions (${card.complaints.complaints} of ${card.complaints.impressions})`, 'Not-relevant and never-show feedback (sealed, noised daily counters) per 1,000 items shown (outcome events)'],
    ['Suppression list', `${card.suppressionList.suppressions} entries, ${card.suppressionList.shoppers} shoppers`, 'Items shoppers asked never to see, or not to see for a while, in force now'],
    ['ε of the serving model', card.privacy.servingVersion === null ? 'no model serves' : `${number(card.privacy.servingEpsilon)} (version ${card.privacy.servingVersion}, δ = ${card.privacy.delta})`, 'Differential privacy spent by the job that trained it, by the accountant'],
    ['Lifetime ε of the deployment', `${number(card.privacy.lifetimeEpsilon)}${card.privacy.lifetimeBudget === null ? ' (no budget set)' : ` of a budget of ${card.privacy.lifetimeBudget}`}`, 'Every job’s releases composed (privacy ledger)'],
    ['Uplift: revenue per shopper', interval(card.uplift.revenuePerShopper, money), 'Personalised (treatment) minus holdout, per shopper with an impression; Welch interval'],
    ['Uplift, CUPED-adjusted', card.uplift.cupedRevenuePerShopper === null ? 'withheld' : `${interval(card.uplift.cupedRevenuePerShopper, money)}, variance −${percent(card.uplift.cupedRevenuePerShopper.varianceReduction, 0)}`, 'The same, adjusted for each shopper’s revenue in the preceding period (Deng et al. 2013)'],
    ['Uplift: conversion', interval(card.uplift.conversionRate, (x) => points(x)), 'Share of shoppers who bought, treatment minus holdout; Newcombe interval'],
    ['Groups', `treatment ${card.uplift.groups.treatment.shoppers} shoppers, holdout ${card.uplift.groups.holdout.shoppers}`, 'Named shoppers with an impression in the period, by their fixed assignment'],
    ['Largest fairness gap', gap === null ? 'n/a (no exposure counted)' : `${gap.dimension} "${gap.group}": ${percent(gap.exposureShare)} of exposure against ${percent(gap.comparedShare)} of ${gap.against === 'merit' ? 'purchases' : 'the catalogue'} (${points(gap.gap)})`, 'Position-weighted exposure share (1/log2(rank + 1)) against the share of purchases (merit), over category, brand, price band and new/established'],
    ['Recall@10 by shopper segment', card.segmentRecall.available ? `${card.segmentRecall.segments.map((x) => `${x.segment} ${percent(x['recall@10'])}`).join(', ')}; largest gap ${card.segmentRecall.largestGap.highest} − ${card.segmentRecall.largestGap.lowest} ${points(card.segmentRecall.largestGap.gap)} (version ${card.segmentRecall.version}, round ${card.segmentRecall.round})` : `n/a (${card.segmentRecall.reason})`, 'DP federated evaluation of the serving version’s job, by how many past purchases the model reads: new 0, occasional 1–5, regular 6+'],
    ['Approval of the serving model', approval ? `by ${approval.by} at ${approval.at}: “${approval.reason}”; gates ${approval.gates.length === 0 ? 'none set' : approval.gates.map((g) => `${g.gate} ${g.passed ? 'passed' : 'failed'}`).join(', ')}` : card.approval ? `version ${card.approval.version}, no approval record` : 'no model serves', 'Who approved the version now serving, why, and its promotion gates'],
    ['Audit chain', card.auditChain.ok ? `intact, ${card.auditChain.entries} entries, head ${card.auditChain.head.slice(0, 12)}…` : `BROKEN at entry ${card.auditChain.firstBadEntry}`, 'Every entry’s hash recomputed from the first'],
  ];
  const escape = (s: string) => s.replaceAll('|', '\\|');
  return [
    `# fedrec ethics scorecard, ${card.period.fromDay} to ${card.period.toDay}`,
    '',
    `Generated ${card.generatedAt}.${card.uplift.reason ? ` Uplift withheld: ${card.uplift.reason}.` : ''}`,
    '',
    '| figure | value | definition |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
    '',
  ].join('\n');
}
