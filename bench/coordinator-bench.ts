/**
 * The coordinator's arithmetic per round, without the wire or the store: sum the clients' update
 * sums, add the round's Gaussian noise once, divide by the expected count.
 */
import { CryptoRandomSource } from '../server/privacy/index.ts';
import { median, type BenchRow } from './bench-row.ts';

/**
 * @example const rows = runCoordinatorBench();
 */
export function runCoordinatorBench(): BenchRow[] {
  const parameters = 800_000;
  const clients = Array.from({ length: 20 }, (_, c) => Float32Array.from({ length: parameters }, (_, i) => Math.sin(c + i)));
  const random = new CryptoRandomSource();
  const times: number[] = [];
  for (let repeat = 0; repeat < 7; repeat++) {
    const started = performance.now();
    const sum = new Float32Array(parameters);
    for (const update of clients) for (let i = 0; i < parameters; i++) sum[i] += update[i];
    random.addGaussian(sum, 0.5);
    for (let i = 0; i < parameters; i++) sum[i] /= 400;
    times.push(performance.now() - started);
  }
  return [{ bench: 'rounds', metric: 'sum 20 updates + Gaussian noise + divide, 800k parameters', value: median(times), unit: 'ms', note: 'coordinator arithmetic only (no wire, no persist)' }];
}
