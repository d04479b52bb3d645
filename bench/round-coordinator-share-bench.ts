/**
 * The coordinator's own time per round as a share of the round's wall time, on a realistic round:
 * a job like `fedrec demo`'s (the demo world's 8 stores, q·N = 400 shoppers per round, C = 1, σ
 * from ε = 8 over the job, δ = 1e-6, the default local training, federated evaluation every 5
 * rounds) with the real store clients doing their real local training in their own process, and
 * the coordinator on a SQLite file. Two shares per round: the engine's own work from its RoundSummary timing (broadcast,
 * validate incl. the norm check, sum, noise, server step, accounting, persist), and the
 * coordinator process's whole CPU time over the round, which adds socket.io's and ws's decoding
 * and encoding and GC. Target ≤ 10%.
 *
 * Run alone: `npx tsx bench/round-coordinator-share-bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { generateWorld } from '../client-sim/world/index.ts';
import { defaultWorldOptions } from '../cli/world-options.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import { coordinatorWorkMs } from '../server/rounds/index.ts';
import { median, type BenchRow } from './bench-row.ts';
import { startBenchFederation } from './bench-federation.ts';

// Round 1 warms the clients' code up and is not counted; rounds 2–6 include one evaluation round
// (round 5), as one in five of the demo's rounds are. A round took ~1–2 s here.
const rounds = 6;

/**
 * @example const rows = await runRoundCoordinatorShareBench((line) => console.error(line));
 */
export async function runRoundCoordinatorShareBench(log: (line: string) => void): Promise<BenchRow[]> {
  const world = defaultWorldOptions;
  const { weights } = modelForWorld(generateWorld(world), world.seed);
  const federation = await startBenchFederation({ kind: 'store', world }, world.stores, log);
  try {
    const { rounds: measured } = await federation.runJob(
      {
        rounds,
        expectedShoppersPerRound: world.shoppers / 10,
        minClients: world.stores,
        roundDeadlineMs: 120_000,
        evaluateEvery: 5,
        privacy: { mode: 'dp', clipNorm: 1, targetEpsilon: 8, delta: 1e-6 },
      },
      weights,
    );
    const timed = measured.slice(1);
    const setting = `demo job, ${world.stores} store clients, ${weights.manifest.size.toLocaleString('en-US')} parameters, median of ${timed.length} rounds`;
    const row = (metric: string, value: number, unit: string, note?: string): BenchRow => ({ bench: 'round coordinator share', metric, value, unit, note });
    return [
      row('round wall time', median(timed.map((r) => r.summary.timing!.wallMs)) / 1000, 's', setting),
      row('engine work per round', median(timed.map((r) => coordinatorWorkMs(r.summary.timing!))), 'ms', 'broadcast + validate + aggregate + account + persist'),
      row('engine work / round wall time', median(timed.map((r) => coordinatorWorkMs(r.summary.timing!) / r.summary.timing!.wallMs)), '', 'target ≤ 0.10'),
      row('coordinator process CPU / round wall time', median(timed.map((r) => r.cpuMs / r.spanMs)), '', 'target ≤ 0.10; all of the process: socket.io, ws, GC included'),
    ];
  } finally {
    await federation.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await runRoundCoordinatorShareBench((line) => console.error(line))) console.log(`${row.metric.padEnd(44)} ${row.value.toFixed(4).padStart(10)} ${row.unit.padEnd(3)} ${row.note ?? ''}`);
}
