/**
 * The REST API on a real SQLite file for the measurement tests: the serving harness's world and
 * model over `SqliteStore(file)`, a fixed pseudonym key (so a restart finds the same shoppers), a
 * clock the test moves, sealing noise 0 (the arithmetic is checked exactly) and a small minimum
 * cohort. `restart` closes the API and the store and opens both again on the same file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../server/store/index.ts';
import type { PseudonymKey } from '../../server/shoppers/index.ts';
import { historyOf, startServing, type Serving } from '../api/serving-harness.ts';

export interface Measured {
  serving: Serving;
  file: string;
  key: PseudonymKey;
  clock: { now: Date };
  restart(): Promise<void>;
  /** A named, opted-in shopper's recommendation request body for world shopper `n`. */
  request(shopperId: string, n: number, k?: number): Record<string, unknown>;
  optIn(shopperId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startMeasured(options: { minCohort?: number; now?: Date } = {}): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'fedrec-measurement-'));
  const file = join(dir, 'fedrec.db');
  const key: PseudonymKey = { keys: [randomBytes(32)] };
  const clock = { now: options.now ?? new Date('2026-12-10T12:00:00.000Z') };
  const open = () => startServing({ store: new SqliteStore(file), minCohort: options.minCohort ?? 2, clock: () => clock.now, sealNoiseStd: 0, api: { pseudonymKey: key } });
  const measured: Measured = {
    serving: await open(),
    file,
    key,
    clock,
    async restart() {
      await measured.serving.close();
      await measured.serving.store.close();
      measured.serving = await open();
    },
    request(shopperId, n, k = 10) {
      const { world } = measured.serving;
      return { shopperId, history: historyOf(world, n), context: { storeId: world.stores[world.shoppers[n].store].id }, personalization: true, k };
    },
    async optIn(shopperId) {
      const { status } = await measured.serving.call('PUT', `/v1/shoppers/${encodeURIComponent(shopperId)}/preferences`, { consent: { choice: 'opted-in', noticeVersion: 'v1', source: 'test' } });
      if (status !== 200) throw new Error(`optIn: ${status}`);
    },
    async close() {
      await measured.serving.close();
      await measured.serving.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return measured;
}
