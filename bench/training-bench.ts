/**
 * The training rows of `npm run bench`: examples per second of a centralised training step on each
 * tensor backend that loads here (each in its own child process, since a process picks its backend
 * once), and the time to evaluate a model over the demo world's held-out shoppers.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateWorld, leaveLastOut } from '../client-sim/world/index.ts';
import { defaultWorldOptions } from '../cli/world-options.ts';
import { ConceptScorer, evaluateRanker, modelForWorld, modelRanker } from '../models/index.ts';
import { median, type BenchRow } from './bench-row.ts';
import type { ThroughputSample, UnavailableBackend } from './training-throughput.ts';

// 5 steps of 512 take ~0.7 s on wasm and ~12 s on the cpu backend (measured on 2 cores); 3 timed
// repeats after a warm-up keep the slowest backend near a minute.
const stepsPerRepeat = 5;
const repeats = 3;
const backends = ['node', 'wasm', 'cpu'] as const;

/**
 * @example const rows = await runTrainingBench((line) => console.error(line));
 */
export async function runTrainingBench(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const backend of backends) {
    const outcome = await throughputInChild(backend);
    if ('unavailable' in outcome) {
      // A backend not installed here (tfjs-node is optional) is a skipped row, not a failure.
      log(`training bench: ${backend} backend skipped: ${outcome.unavailable}`);
      continue;
    }
    rows.push({
      bench: 'training',
      metric: `training throughput, ${outcome.backend} backend`,
      value: median(outcome.examplesPerSecond),
      unit: 'examples/s',
      note: `demo world, batch ${outcome.batchSize}, median of ${repeats} × ${stepsPerRepeat} steps`,
    });
  }
  rows.push(evaluationTime());
  return rows;
}

function throughputInChild(backend: (typeof backends)[number]): Promise<ThroughputSample | UnavailableBackend> {
  const script = fileURLToPath(new URL('./training-throughput.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, String(stepsPerRepeat), String(repeats)], { env: { ...process.env, FEDREC_BACKEND: backend } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`training bench (${backend}): ${stderr.trim() || error.message}`));
      else resolve(JSON.parse(stdout) as ThroughputSample | UnavailableBackend);
    });
  });
}

/** Full-catalogue evaluation of the model (typed-array scorer, no tensors), median of 3 runs. */
function evaluationTime(): BenchRow {
  const world = generateWorld(defaultWorldOptions);
  const { test } = leaveLastOut(world.shoppers);
  const model = modelForWorld(world, 1);
  const ranker = modelRanker(new ConceptScorer(model.shape, model.weights, model.features));
  const seconds: number[] = [];
  for (let repeat = 0; repeat < 3; repeat++) {
    const started = performance.now();
    evaluateRanker(ranker, test);
    seconds.push((performance.now() - started) / 1000);
  }
  return { bench: 'training', metric: 'model evaluation over the test split', value: median(seconds), unit: 's', note: `${test.length} held-out shoppers × ${world.catalog.length} items, recall@10 + NDCG@10` };
}
