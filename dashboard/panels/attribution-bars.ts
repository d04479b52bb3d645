/**
 * One item's attributions as a waterfall: each concept's bar starts where the previous ended, so
 * the bars visibly add up; the last row is the total from 0, which is score − baseline (exact
 * Shapley values are efficient: they sum to f(x) − f(baseline), Lundberg & Lee 2017). Widths are
 * set through the CSSOM (the page's CSP forbids inline style attributes).
 */
import { h, formatNumber } from '../element.ts';

export interface Attribution {
  concept: string;
  contribution: number;
  phrase: string;
}

export function attributionBars(itemId: string, score: number, baseline: number, attributions: Attribution[]): HTMLElement {
  const total = attributions.reduce((sum, a) => sum + a.contribution, 0);
  let running = 0;
  const ends = attributions.map((a) => {
    const start = running;
    running += a.contribution;
    return [start, running] as const;
  });
  const low = Math.min(0, ...ends.map(([s, e]) => Math.min(s, e)));
  const high = Math.max(0, ...ends.map(([s, e]) => Math.max(s, e)));
  const span = high - low || 1;
  const bar = (from: number, to: number, kind: string): HTMLElement => {
    const element = h('span', { class: `bar ${kind}` });
    element.style.left = `${(100 * (Math.min(from, to) - low)) / span}%`;
    element.style.width = `${Math.max(0.5, (100 * Math.abs(to - from)) / span)}%`;
    return element;
  };
  const rows = attributions.map((a, i) =>
    h('div', { class: 'attribution', 'data-concept': a.concept, 'data-contribution': a.contribution }, h('span', {}, a.phrase), h('span', { class: 'track', 'aria-hidden': 'true' }, bar(ends[i][0], ends[i][1], a.contribution >= 0 ? 'positive' : 'negative')), h('span', { class: 'value' }, signed(a.contribution))),
  );
  const totalRow = h('div', { class: 'attribution total', 'data-total': total }, h('span', {}, `Sum = score ${formatNumber(score)} − baseline ${formatNumber(baseline)}`), h('span', { class: 'track', 'aria-hidden': 'true' }, bar(0, total, 'sum')), h('span', { class: 'value' }, signed(total)));
  return h('div', { class: 'attributions', 'data-item': itemId, 'data-score': score, 'data-baseline': baseline, role: 'group', 'aria-label': `Why ${itemId}: each concept's contribution, adding up to score minus baseline` }, rows, totalRow);
}

const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${formatNumber(Math.abs(value))}`;
