/**
 * Bytes on the wire per update: a DP job on the demo world with the real store clients
 * (`client-sim/store-client/`) over socket.io on 127.0.0.1, counting every byte the coordinator's
 * TCP connections read while the job runs (websocket framing, socket.io's JSON header with the
 * counts and the nonce, the binary attachment), divided by the updates received. Between the
 * handshake and the job's end the clients send nothing but their updates (pings are 25 s apart,
 * a few bytes each), so the count is the updates'. Target: within 5% of 4 bytes × parameters.
 *
 * Run alone: `npx tsx bench/round-wire-bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { generateWorld } from '../client-sim/world/index.ts';
import { defaultWorldOptions } from '../cli/world-options.ts';
import { modelForWorld } from '../models/recommender/model-for-world.ts';
import type { BenchRow } from './bench-row.ts';
import { startBenchFederation } from './bench-federation.ts';

// Two rounds, the second with federated evaluation, so both kinds of update message are counted.
const rounds = 2;

/**
 * @example const rows = await runRoundWireBench((line) => console.error(line));
 */
export async function runRoundWireBench(log: (line: string) => void): Promise<BenchRow[]> {
  const world = defaultWorldOptions;
  const { weights } = modelForWorld(generateWorld(world), world.seed);
  const parameters = weights.manifest.size;
  const federation = await startBenchFederation({ kind: 'store', world }, world.stores, log);
  try {
    const before = federation.wireBytes();
    const { rounds: measured } = await federation.runJob(
      {
        rounds,
        expectedShoppersPerRound: world.shoppers / 10,
        minClients: world.stores,
        roundDeadlineMs: 120_000,
        evaluateEvery: rounds,
        privacy: { mode: 'dp', clipNorm: 0.5, noiseMultiplier: 1.0, delta: 1e-6 },
      },
      weights,
    );
    const after = federation.wireBytes();
    const updates = measured.reduce((n, r) => n + r.summary.clients, 0);
    const invitations = world.stores * rounds;
    const perUpdate = (after.read - before.read) / updates;
    // What the coordinator wrote: each round's weights (manifest + values) to every client, and the acks.
    const perBroadcast = (after.written - before.written) / invitations;
    const row = (metric: string, value: number, unit: string, note?: string): BenchRow => ({ bench: 'round wire', metric, value, unit, note });
    return [
      row('bytes on the wire per update', perUpdate, 'B', `${updates} updates, ${parameters.toLocaleString('en-US')} parameters, demo world, real store clients, TCP count`),
      row('update bytes over 4 × parameters', 100 * (perUpdate / (4 * parameters) - 1), '%', 'target within 5%'),
      row('bytes on the wire per model broadcast', perBroadcast, 'B', 'weights with their manifest (vocabulary, shape), plus the ack'),
      row('broadcast bytes over 4 × parameters', 100 * (perBroadcast / (4 * parameters) - 1), '%', 'the manifest names every item; its share shrinks as the model grows'),
    ];
  } finally {
    await federation.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await runRoundWireBench((line) => console.error(line))) console.log(`${row.metric.padEnd(40)} ${row.value.toFixed(4).padStart(12)} ${row.unit.padEnd(3)} ${row.note ?? ''}`);
}
