/** Runs the API on a port and stops it cleanly: the HTTP server first, then the pending counters. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExposureRecorder, type ExposureRecorderOptions } from '../exposure/index.ts';
import { createLimitedServer, type ServerLimits } from '../operations/server-limits.ts';
import { IssuedRecommendationLog } from '../measurement/index.ts';
import { createApp, type ApiApp, type AppOptions } from './create-app.ts';
import { messageClasses } from '../operations/express-message-classes.ts';

export interface RunningApi {
  url: string;
  server: Server;
  app: ApiApp;
  exposure: ExposureRecorder;
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (port 0: any free port).
 * @example const api = await startApi({ store, servedModel, port: 0 }); … await api.close();
 */
export async function startApi(options: Omit<AppOptions, 'exposure' | 'issued'> & { host?: string; port?: number; exposureOptions?: ExposureRecorderOptions; serverLimits?: Partial<ServerLimits> }): Promise<RunningApi> {
  const exposure = new ExposureRecorder(options.store, options.exposureOptions);
  const issued = new IssuedRecommendationLog(options.store);
  const app = createApp({ ...options, exposure, issued });
  const classes = messageClasses();
  classes.adopt(app);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = createLimitedServer(app, options.serverLimits, classes).listen(options.port ?? 0, host, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    app,
    exposure,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await exposure.close();
      await issued.close();
    },
  };
}
