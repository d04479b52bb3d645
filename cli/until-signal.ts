/** Waiting for the operator to stop a long-running command. */

/**
 * Resolves with the first of SIGINT or SIGTERM (Ctrl-C, `kill`, a process supervisor), so the
 * command can close its sockets and store before exiting with 0.
 * @example await untilSignal(); await server.close();
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
