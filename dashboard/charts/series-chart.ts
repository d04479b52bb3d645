/**
 * A chart of series over rounds (lines, or stacked bars for counts), drawn on a canvas with a
 * text alternative: the canvas has an accessible name, and the same figures sit in a table under
 * it (WCAG 1.1.1). `data-points` on the figure counts the rounds drawn.
 */
import { h, formatNumber, replace, table } from '../element.ts';
import { Chart, palette } from './chart-setup.ts';

export interface Series {
  label: string;
  /** A constant reference line (a budget) rather than a per-round series. */
  constant?: number | null;
  dashed?: boolean;
  /** Drawn against a second y axis on the right (a loss beside [0, 1] metrics would flatten them). */
  rightAxis?: boolean;
}

export interface SeriesChart {
  element: HTMLElement;
  /** Sets every round at once (x: round numbers; values[i][s]: series s at round i, null for none). */
  set(rounds: number[], values: (number | null)[][]): void;
  /** Appends one round, or replaces it if that round is already drawn. */
  push(round: number, values: (number | null)[]): void;
  /** Changes a constant line's value (the lifetime budget when it is read). */
  setConstant(label: string, value: number | null): void;
  destroy(): void;
}

export function seriesChart(id: string, title: string, series: Series[], options: { kind?: 'line' | 'stacked-bar'; yTitle: string; rightTitle?: string }): SeriesChart {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}: chart; the same figures are in the table below` });
  const tableHolder = h('div');
  const details = h('details', {}, h('summary', {}, `${title}: the figures`), tableHolder);
  const element = h('figure', { id, 'data-points': 0 }, h('figcaption', {}, title), h('div', { class: 'chart-canvas' }, canvas), details);
  const rounds: number[] = [];
  const values: (number | null)[][] = [];
  const kind = options.kind ?? 'line';
  const chart = new Chart(canvas, {
    type: kind === 'line' ? 'line' : 'bar',
    data: {
      labels: [] as string[],
      datasets: series.map((s, i) => ({ label: s.label, data: [] as (number | null)[], borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], borderDash: s.dashed || s.constant !== undefined ? [6, 4] : [], pointRadius: s.constant !== undefined ? 0 : 3, spanGaps: true, yAxisID: s.rightAxis ? 'right' : 'y' })),
    },
    options: {
      responsive: true,
      scales: { x: { title: { display: true, text: 'round' }, stacked: kind === 'stacked-bar' }, y: { title: { display: true, text: options.yTitle }, stacked: kind === 'stacked-bar', beginAtZero: true },
        ...(series.some((s) => s.rightAxis) ? { right: { position: 'right' as const, title: { display: true, text: options.rightTitle ?? '' }, beginAtZero: true, grid: { drawOnChartArea: false } } } : {}),
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
  const draw = (): void => {
    chart.data.labels = rounds.map(String);
    series.forEach((s, i) => {
      chart.data.datasets[i].data = s.constant !== undefined ? rounds.map(() => s.constant ?? null) : values.map((row) => row[i]);
    });
    chart.update();
    element.dataset.points = String(rounds.length);
    replace(tableHolder, table(title, ['round', ...series.map((s) => s.label)], rounds.map((r, i) => [String(r), ...series.map((s, j) => formatNumber(s.constant !== undefined ? s.constant : values[i][j]))])));
  };
  return {
    element,
    set(nextRounds, nextValues) {
      rounds.splice(0, rounds.length, ...nextRounds);
      values.splice(0, values.length, ...nextValues);
      draw();
    },
    push(round, row) {
      const at = rounds.indexOf(round);
      if (at >= 0) values[at] = row;
      else {
        rounds.push(round);
        values.push(row);
      }
      draw();
    },
    setConstant(label, value) {
      const s = series.find((x) => x.label === label);
      if (s) s.constant = value;
      draw();
    },
    destroy: () => chart.destroy(),
  };
}
