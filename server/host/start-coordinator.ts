/**
 * The composition root of a running coordinator: one HTTP server carrying the REST API (when an
 * app is given) and the socket.io round adapter, the store, and the round engine wired together.
 * Everything else in `server/` is a part; this is the one place that plugs them in.
 */
import type { RequestListener, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { messageClasses } from '../operations/express-message-classes.ts';
import { createLimitedServer, type ServerLimits } from '../operations/server-limits.ts';
import { auditedJobStatus, recordJobStatus } from '../governance/index.ts';
import { defaultRandomSource, type RandomSource } from '../privacy/index.ts';
import { RoundSocketServer, type RoundSocketOptions } from '../realtime/index.ts';
import { Coordinator, type RoundSummary } from '../rounds/index.ts';
import type { FedrecStore } from '../store/fedrec-store.ts';

export interface CoordinatorHost {
  url: string;
  http: HttpServer;
  coordinator: Coordinator;
  sockets: RoundSocketServer;
  /**
   * Stops accepting connections, stops the jobs after their current step (they stay resumable),
   * disconnects the store clients, and lets REST requests in flight finish for up to `drainMs`
   * (default 5 s) before their sockets are closed.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

export interface CoordinatorHostOptions {
  store: FedrecStore;
  port: number;
  host?: string;
  /** Builds the REST app sharing the HTTP server, given the coordinator its job routes drive. */
  app?: (coordinator: Coordinator) => RequestListener;
  random?: RandomSource;
  onRelease?: (version: number, weights: ModelWeights) => void;
  onRound?: (summary: RoundSummary) => void;
  onJobFailed?: (jobId: string, error: unknown) => void;
  /** Message size limit and liveness timeouts of the socket adapter (its defaults suit training). */
  socketOptions?: Omit<RoundSocketOptions, 'log'>;
  log?: (line: string) => void;
  /** Request, header and idle timeouts and the open-connection cap of the HTTP server. */
  serverLimits?: Partial<ServerLimits>;
}

/**
 * @example const host = await startCoordinator({ store, port: 3000, app: (coordinator) => createApp({ store, servedModel, coordinator }) }); const { url } = host;
 */
export async function startCoordinator(options: CoordinatorHostOptions): Promise<CoordinatorHost> {
  // The app needs the coordinator, which needs the socket adapter, which needs the server: the
  // server starts with a forwarder, and the app is plugged in once the coordinator exists.
  let app: RequestListener = (_req, res) => {
    res.statusCode = 404;
    res.end();
  };
  const classes = messageClasses();
  const http = createLimitedServer((req, res) => app(req, res), options.serverLimits, classes);
  const sockets = new RoundSocketServer(http, options.store, { ...options.socketOptions, log: options.log });
  const coordinator = new Coordinator({
    // Every job status the engine writes is also an audit entry.
    store: auditedJobStatus(options.store),
    transport: sockets,
    random: options.random ?? defaultRandomSource(),
    onRelease: options.onRelease,
    onRound: options.onRound,
    onJobFailed: options.onJobFailed,
    log: options.log,
  });
  sockets.onUpdate((clientId, raw) => coordinator.submitUpdate(clientId, raw));
  sockets.onAbandon((clientId, raw) => coordinator.abandonRound(clientId, raw));
  sockets.onRejection((reason) => coordinator.countRejection(reason));
  if (options.app) {
    app = options.app(coordinator);
    classes.adopt(app);
  }
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
    async close({ drainMs = 5_000 } = {}) {
      // No new connections from here on; idle kept-alive ones close now, busy ones after their answer.
      const drained = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      // Jobs next (each settles after its current step and stays resumable), then the store clients.
      const running = coordinator.runningJobIds();
      await coordinator.stopAll();
      // A stop writes no status (the job stays `running` to be resumed), so the audit log is told here.
      for (const jobId of running) await recordJobStatus(options.store, jobId, 'stopped', 'the coordinator stopped; the job resumes on the next start').catch((thrown: unknown) => options.log?.(`could not log the stop of job ${jobId}: ${String(thrown)}`));
      await sockets.close();
      const cut = setTimeout(() => http.closeAllConnections(), drainMs);
      await drained;
      clearTimeout(cut);
    },
  };
}
