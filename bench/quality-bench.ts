/**
 * The quality rows of `npm run bench`: recall@10 on the test split (leave-last-out, validation held
 * out before it) of the centralised model and of every baseline (popularity, per store,
 * co-occurrence, personal repeat, ItemKNN, implicit ALS), with training time and examples/s of the
 * model and of ALS, on a small world under each synthetic purchase rule, so a reader sees how much
 * of the lead is the world. `--dataset FILE --map …` (or BENCH_DATASET / BENCH_MAP) adds the same
 * rows on a real transaction file (Online Retail II: ~1 hour on 2 cores, 4 epochs).
 */
import { loadWorld, type LoadedWorld, type WorldFlags } from '../cli/world-options.ts';
import { runCentralized } from '../cli/run-centralized.ts';
import { trainingReport, type BaselineName } from '../cli/training-report.ts';
import type { BenchRow } from './bench-row.ts';

const baselineLabels: Record<BaselineName, string> = {
  popularity: 'popularity (global)',
  popularityPerStore: 'popularity (per store)',
  cooccurrence: 'item co-occurrence',
  personalRepeat: 'personal repeat',
  itemKnn: 'ItemKNN (cosine)',
  als: 'implicit ALS',
};

/** A world small enough for every bench run: about a minute per rule on 2 cores. */
const smallWorld = { stores: 4, shoppers: 1500, items: 300, seed: 1 } as const;

/**
 * @example const rows = await runQualityBench(log, { dataset: 'retail.csv.gz', map: '…' });
 */
export async function runQualityBench(log: (line: string) => void, real?: Pick<WorldFlags, 'dataset' | 'map'>): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const worldRule of ['concepts', 'baskets'] as const) {
    const loaded = await loadWorld({ ...smallWorld, worldRule }, log);
    rows.push(...(await qualityRows(`quality, ${worldRule} rule`, loaded, { epochs: 3 }, log)));
  }
  if (real?.dataset !== undefined) rows.push(...(await qualityRows('quality, real data', await loadWorld(real, log), {}, log)));
  return rows;
}

async function qualityRows(bench: string, loaded: LoadedWorld, overrides: { epochs?: number }, log: (line: string) => void): Promise<BenchRow[]> {
  const trained = await runCentralized(loaded, loaded.split, overrides, { write: () => true, isTTY: false });
  const report = trainingReport(trained, loaded, loaded.split, log);
  const note = `${loaded.description}; test split, ${report.world.heldOutShoppers} shoppers`;
  const model = report.metrics['recall@10'];
  return [
    { bench, metric: 'recall@10, fedrec centralised', value: model, unit: '', note },
    ...(Object.keys(baselineLabels) as BaselineName[]).map((name) => ({
      bench,
      metric: `recall@10, ${baselineLabels[name]}`,
      value: report.baselines[name]['recall@10'],
      unit: '',
      note: `model ${(model / Math.max(report.baselines[name]['recall@10'], 1e-9)).toFixed(2)}×`,
    })),
    { bench, metric: 'training time, fedrec centralised', value: report.seconds, unit: 's', note: `${report.examplesPerSecond} examples/s, ${trained.options.epochs} epochs` },
    { bench, metric: 'training time, implicit ALS', value: report.alsSeconds, unit: 's', note: 'pooled training purchases' },
  ];
}
