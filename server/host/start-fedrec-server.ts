/**
 * The whole server on one port, as `fedrec serve` and `fedrec demo` run it: the socket.io round
 * adapter and the REST API (recommendations, merchant view, training jobs) on one HTTP server over
 * one store. Every released model version is swapped into serving at once.
 */
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { createApp } from '../api/index.ts';
import { ExposureRecorder } from '../exposure/index.ts';
import type { RoundSummary } from '../rounds/index.ts';
import { loadServedModel, type ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';
import { startCoordinator, type CoordinatorHost } from './start-coordinator.ts';

export interface FedrecServer extends CoordinatorHost {
  servedModel: ServedModel;
}

export interface FedrecServerOptions {
  store: FedrecStore;
  port: number;
  host?: string;
  onRound?: (summary: RoundSummary) => void;
  log?: (line: string) => void;
  /** The REST API's operator token (see `createApp`); without one its operator routes answer 401. */
  operatorToken?: string;
}

/**
 * Serves the newest model version a training round released (if any), then each new release, and
 * starts the coordinator with the API mounted.
 * Closing stops the jobs (they stay resumable), the wire, then writes pending exposure counters;
 * the store is the caller's to close.
 * @example const server = await startFedrecServer({ store: openStore('fedrec.db'), port: 3000 }); console.log(server.url);
 */
export async function startFedrecServer(options: FedrecServerOptions): Promise<FedrecServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const servedModel = await loadServedModel(options.store);
  const exposure = new ExposureRecorder(options.store);
  const onRelease = (version: number, weights: ModelWeights): void => {
    // Serving a version is not part of releasing it: a snapshot that cannot be built (say, a
    // catalogue that lost items) is logged and the previous version keeps serving.
    try {
      servedModel.release(version, weights);
    } catch (thrown) {
      log(`serving kept its previous model: version ${version} could not be served (${thrown instanceof Error ? thrown.message : String(thrown)})`);
    }
  };
  const host = await startCoordinator({
    store: options.store,
    port: options.port,
    host: options.host,
    log,
    onRound: options.onRound,
    onRelease,
    app: (coordinator) => createApp({ store: options.store, servedModel, exposure, coordinator, operatorToken: options.operatorToken, log: (error) => log(`fedrec api: unexpected failure: ${error instanceof Error ? error.stack : String(error)}`) }),
  });
  return {
    ...host,
    servedModel,
    async close() {
      await host.close();
      await exposure.close();
    },
  };
}
