/**
 * Process-level handlers for what escaped every other handler. Node's default for an unhandled
 * rejection (since Node 15) and an uncaught exception is to print it and exit, which for a
 * coordinator means every connected store, every running round and every shopper request dropped
 * because of one forgotten promise. fedrec's own code observes every promise it starts; these
 * handlers are the net under that: they log the failure at `error` (with its stack, in the log
 * only) and the process keeps serving.
 *
 * Keeping on after an uncaught exception is a choice: Node's docs warn the process may be in an
 * undefined state. The state that matters here is in the store (SQLite transactions, written
 * before a model is released), and the supervisor's liveness probe still restarts a process that
 * stops answering; losing every request in flight for a bug in one is the worse trade.
 */
import type { Logger } from './logger.ts';

/**
 * Installs both handlers; the returned function removes them (tests, a server closed in-process).
 * @example const uninstall = installProcessGuards(logger); … uninstall();
 */
export function installProcessGuards(log: Logger): () => void {
  const onRejection = (reason: unknown): void => log.error({ err: reason }, 'unhandled promise rejection (kept serving)');
  const onException = (error: Error): void => log.error({ err: error }, 'uncaught exception (kept serving)');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
