/**
 * `npm run bench`: medians of repeated measurements, printed as one table (bench, metric, value,
 * unit, note). Each benchmark is a module returning BenchRows, listed in `benches` below;
 * `npm run bench -- --large` (or BENCH_LARGE=1) adds the large-world run, which takes minutes;
 * `npm run bench -- --dataset FILE --map …` adds the quality rows on real transactions.
 * Progress and skipped benchmarks go to stderr, the table to stdout.
 */
import { z } from 'zod';
import { switchFlag, textFlag, unknownFlags } from '../cli/flag-schemas.ts';
import { parseFlags } from '../cli/parse-flags.ts';
import type { BenchRow } from './bench-row.ts';
import { runDeviceLoadBench } from './device-load-bench.ts';
import { runDpThroughputBench } from './dp-throughput-bench.ts';
import { runLargeWorldBench } from './large-world-bench.ts';
import { runRoundCoordinatorShareBench } from './round-coordinator-share-bench.ts';
import { runRoundWallTimeBench } from './round-wall-time-bench.ts';
import { runRoundWireBench } from './round-wire-bench.ts';
import { runServingBench } from './serving-bench.ts';
import { runQualityBench } from './quality-bench.ts';
import { runTrainingBench } from './training-bench.ts';

type Log = (line: string) => void;

interface Bench {
  name: string;
  run(log: Log): Promise<BenchRow[]> | BenchRow[];
}

const flags = parseFlags(z.strictObject({ large: switchFlag('large'), dataset: textFlag.optional(), map: textFlag.optional() }, unknownFlags), process.argv.slice(2));
// The real-data quality rows (Online Retail II: ~1 hour) run only when a file is given.
const dataset = flags.dataset ?? process.env.BENCH_DATASET;
const map = flags.map ?? process.env.BENCH_MAP;
const large = flags.large === true || process.env.BENCH_LARGE === '1';
const log: Log = (line) => console.error(line);

const benches: Bench[] = [
  // Top-10 over REST against a server process, with and without explanations.
  { name: 'serving', run: runServingBench },
  { name: 'training', run: runTrainingBench },
  // recall@10 of the model and every baseline, on both synthetic purchase rules (and real data with --dataset).
  { name: 'quality', run: (l) => runQualityBench(l, dataset === undefined ? undefined : { dataset, map }) },
  // Federated rounds over real socket.io, a SQLite file and clients in a child process.
  { name: 'round wire', run: runRoundWireBench },
  { name: 'round coordinator share', run: runRoundCoordinatorShareBench },
  { name: 'dp throughput', run: runDpThroughputBench },
  { name: 'round wall time', run: runRoundWallTimeBench },
  // 1,000 device clients (one shopper each) against one coordinator that also serves: RSS, rounds, p99.
  { name: 'device load', run: runDeviceLoadBench },
  ...(large ? [{ name: 'large world', run: runLargeWorldBench }] : []),
];

const rows: BenchRow[] = [];
for (const bench of benches) {
  log(`bench: ${bench.name} …`);
  rows.push(...(await bench.run(log)));
}
console.log(formatTable(rows));
if (!large) log('bench: the large-world run (50,000 shoppers × 5,000 items, ~10 min) is opt-in: npm run bench -- --large');

function formatTable(table: BenchRow[]): string {
  const cells = table.map((r) => [r.bench, r.metric, formatValue(r.value), r.unit, r.note ?? '']);
  const header = ['bench', 'metric', 'median', 'unit', 'note'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]): string => row.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

/** Three significant figures for small values (recall, ratios), whole numbers past 1,000. */
function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}
