/**
 * A whole federation in this process, as `fedrec demo` and `fedrec train` run it: a coordinator
 * (with the REST API when asked) on a store, one registered and connected simulated client per
 * store of the world, each holding only its own shoppers, and the job started or resumed on it.
 */
import { storePopulations } from './store-populations.ts';
import { connectSimulatedStores } from '../client-sim/store-client/connect-simulated-stores.ts';
import type { StoreClient } from '../client-sim/store-client/store-client.ts';
import type { LeaveLastOutSplit, RetailWorld } from '../client-sim/world/index.ts';
import type { ItemFeatures, ModelWeights } from '../models/index.ts';
import { startCoordinator, type CoordinatorHost } from '../server/host/start-coordinator.ts';
import { startFedrecServer, type FedrecServer } from '../server/host/start-fedrec-server.ts';
import { registerClients } from '../server/realtime/index.ts';
import type { Coordinator, JobConfigInput, RoundSummary, RunningJob } from '../server/rounds/index.ts';
import type { FedrecStore } from '../server/store/index.ts';
import type { PseudonymKey } from '../server/shoppers/index.ts';

export interface LocalFederationOptions {
  store: FedrecStore;
  /** With `api`: the shoppers' pseudonym key. */
  pseudonymKey?: PseudonymKey;
  /** 0: any free port. */
  port: number;
  world: RetailWorld;
  split: LeaveLastOutSplit;
  features: ItemFeatures;
  /** Mount the REST API beside the coordinator (the demo keeps serving it); training alone needs none. */
  api: boolean;
  /** Names this run's clients (`<store>-<label>-<random>`). */
  label: string;
  /** The coordinator's and the clients' log lines. */
  log: (line: string) => void;
  onRound?: (summary: RoundSummary) => void;
}

export interface LocalFederation {
  url: string;
  coordinator: Coordinator;
  /** The server's lifecycle and what it serves, when `api`. */
  server?: FedrecServer;
  clients: StoreClient[];
  /** Disconnects the clients, then stops the coordinator (its jobs stay resumable); the store stays open. */
  close(): Promise<void>;
}

/**
 * @example
 * const federation = await startLocalFederation({ store, port: 0, world, split, features: model.features, api: false, label: 'train', log });
 * const { done } = await federation.coordinator.startJob(config, model.weights);
 */
export async function startLocalFederation(options: LocalFederationOptions): Promise<LocalFederation> {
  const { store, port, log, onRound } = options;
  const server = options.api ? await startFedrecServer({ store, port, log, onRound, pseudonymKey: options.pseudonymKey }) : undefined;
  const host: CoordinatorHost = server ?? (await startCoordinator({ store, port, log, onRound }));
  try {
    // Each run registers its own clients: a client id is never re-issued a token.
    const credentials = await registerClients(store, storePopulations(options.world), options.label);
    const clients = await connectSimulatedStores({ url: host.url, credentials, world: options.world, split: options.split, features: options.features, log });
    return {
      url: host.url,
      coordinator: host.coordinator,
      server,
      clients,
      async close() {
        clients.forEach((c) => c.close());
        await host.close();
      },
    };
  } catch (thrown) {
    await host.close();
    throw thrown;
  }
}

/**
 * Resumes the job the store says was running when its coordinator died (from its last completed
 * round, with the privacy it had spent), or starts a new one.
 * @example const { jobId, done, resumed } = await resumeOrStartJob(federation.coordinator, config, model.weights);
 */
export async function resumeOrStartJob(coordinator: Coordinator, config: JobConfigInput, initial: ModelWeights): Promise<RunningJob & { resumed: boolean }> {
  const [resumed] = await coordinator.resumeJobs();
  if (resumed) return { ...resumed, resumed: true };
  return { ...(await coordinator.startJob(config, initial)), resumed: false };
}
