/**
 * The whole server on one port, as `fedrec serve` and `fedrec demo` run it: the socket.io round
 * adapter and the REST API (recommendations, merchant view, training jobs, oversight) on one HTTP
 * server over one store. A released model version is a candidate: it serves once an approver
 * approves it (`server/governance/model-lifecycle.ts`), never by being released.
 */
import { createApp } from '../api/index.ts';
import { ExposureRecorder } from '../exposure/index.ts';
import { bootstrapAdminKey, ModelLifecycle } from '../governance/index.ts';
import type { RoundSummary } from '../rounds/index.ts';
import { loadServedModel, prepareServing, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { startCoordinator, type CoordinatorHost } from './start-coordinator.ts';

export interface FedrecServer extends CoordinatorHost {
  servedModel: ServedModel;
  lifecycle: ModelLifecycle;
  /** The admin key created on this start (an empty store), or null. */
  createdAdminKeyId: string | null;
}

export interface FedrecServerOptions {
  store: FedrecStore;
  port: number;
  host?: string;
  onRound?: (summary: RoundSummary) => void;
  log?: (line: string) => void;
  /** Where FEDREC_ADMIN_KEY (the first admin key) and a leftover FEDREC_OPERATOR_TOKEN are read; default process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * Serves the version in `serving` (if any), creates the first admin key on an empty store, and
 * starts the coordinator with the API mounted.
 * Closing stops the jobs (they stay resumable), the wire, then writes pending exposure counters;
 * the store is the caller's to close.
 * @example const server = await startFedrecServer({ store: openStore('fedrec.db'), port: 3000 }); console.log(server.url);
 */
export async function startFedrecServer(options: FedrecServerOptions): Promise<FedrecServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const servedModel = await loadServedModel(options.store);
  const createdAdminKeyId = await bootstrapAdminKey(options.store, options.env ?? process.env, log);
  const lifecycle = new ModelLifecycle({ store: options.store, prepareServing: prepareServing(options.store, servedModel) });
  const exposure = new ExposureRecorder(options.store);
  const host = await startCoordinator({
    store: options.store,
    port: options.port,
    host: options.host,
    log,
    onRound: options.onRound,
    app: (coordinator) => createApp({ store: options.store, servedModel, exposure, coordinator, lifecycle, log: (error) => log(`fedrec api: unexpected failure: ${error instanceof Error ? error.stack : String(error)}`) }),
  });
  return {
    ...host,
    servedModel,
    lifecycle,
    createdAdminKeyId,
    async close() {
      await host.close();
      await exposure.close();
    },
  };
}
