/**
 * The composition root of a running coordinator: one HTTP server carrying the REST API (when an
 * app is given) and the socket.io round adapter, the store, and the round engine wired together.
 * Everything else in `server/` is a part; this is the one place that plugs them in.
 */
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { defaultRandomSource, type RandomSource } from '../privacy/index.ts';
import { RoundSocketServer } from '../realtime/index.ts';
import { Coordinator, type RoundSummary } from '../rounds/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';

export interface CoordinatorHost {
  url: string;
  http: HttpServer;
  coordinator: Coordinator;
  sockets: RoundSocketServer;
  close(): Promise<void>;
}

export interface CoordinatorHostOptions {
  store: FedrecStore;
  port: number;
  host?: string;
  app?: RequestListener;
  random?: RandomSource;
  onRelease?: (version: number, weights: ModelWeights) => void;
  onRound?: (summary: RoundSummary) => void;
  log?: (line: string) => void;
}

/**
 * @example const host = await startCoordinator({ store, port: 3000, app }); console.log(host.url);
 */
export async function startCoordinator(options: CoordinatorHostOptions): Promise<CoordinatorHost> {
  const http = createServer(options.app);
  const sockets = new RoundSocketServer(http, options.store, { log: options.log });
  const coordinator = new Coordinator({
    store: options.store,
    transport: sockets,
    random: options.random ?? defaultRandomSource(),
    onRelease: options.onRelease,
    onRound: options.onRound,
    log: options.log,
  });
  sockets.onUpdate((clientId, raw) => coordinator.submitUpdate(clientId, raw));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => resolve());
  });
  const url = `http://${host}:${(http.address() as AddressInfo).port}`;
  return {
    url,
    http,
    coordinator,
    sockets,
    async close() {
      coordinator.stopAll();
      await sockets.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
