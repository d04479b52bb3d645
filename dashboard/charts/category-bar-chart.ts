/**
 * A bar chart over named categories (the merchant view's concepts), one dataset per group (overall,
 * each segment), with the same figures in a table under it. `data-bars` counts the bars drawn.
 */
import { h, formatNumber, table } from '../element.ts';
import { Chart, palette } from './chart-setup.ts';

export interface CategoryGroup {
  label: string;
  values: number[];
}

export function categoryBarChart(id: string, title: string, categories: string[], groups: CategoryGroup[], valueTitle: string): { element: HTMLElement; destroy(): void } {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}: bar chart; the same figures are in the table below` });
  const figures = table(title, ['concept', ...groups.map((g) => g.label)], categories.map((c, i) => [c, ...groups.map((g) => formatNumber(g.values[i], 3))]));
  const element = h('figure', { id, 'data-bars': categories.length * groups.length }, h('figcaption', {}, title), h('div', { class: 'chart-canvas' }, canvas), h('details', {}, h('summary', {}, `${title}: the figures`), figures));
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: categories, datasets: groups.map((g, i) => ({ label: g.label, data: g.values, backgroundColor: palette[i % palette.length] })) },
    options: { indexAxis: 'y', responsive: true, scales: { x: { title: { display: true, text: valueTitle }, beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } },
  });
  return { element, destroy: () => chart.destroy() };
}
