/** One measured figure in the `npm run bench` table. */
export interface BenchRow {
  /** Which benchmark (e.g. "serving", "training"). */
  bench: string;
  /** What was measured, e.g. "p99 latency, top-10 with explanations". */
  metric: string;
  value: number;
  unit: string;
  /** The target, or how the figure was obtained, when that helps reading it. */
  note?: string;
}

/** Median of a sample (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
