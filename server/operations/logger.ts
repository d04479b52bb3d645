/**
 * The server's structured log: pino JSON lines (one object a line, `level`, `time`, `msg`), to
 * stderr by default so a command's stdout stays its result. What may be written is decided here, in
 * one place: Authorization and cookie headers and anything named like a token are redacted, and no
 * serializer ever reads a request body, so histories and shopper ids (which only travel in bodies)
 * cannot reach the log. Levels: `FEDREC_LOG_LEVEL` / `--log-level` (fatal … trace, silent).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { z } from 'zod';

export type { Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevelSchema = z.enum(logLevels);
export type LogLevel = z.infer<typeof logLevelSchema>;

/**
 * pino's redaction paths (fast-redact syntax). `req.headers` is already reduced to a short allow-list by
 * the request serializer; these catch a token logged anywhere else by mistake.
 */
export const redactedPaths = ['req.headers.authorization', 'req.headers.cookie', 'token', '*.token', 'operatorToken', '*.operatorToken', 'authorization', '*.authorization'];

/**
 * @example const log = createLogger({ level: 'info' }); log.info({ port }, 'listening');
 */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'fedrec' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    // Asynchronous writes (sonic-boom), flushed on exit, batched: lines are written once 4 KiB of
    // them are buffered or every 100 ms (periodicFlush), whichever comes first, so a quiet
    // server's line waits at most 100 ms. Unbatched, every request's line was its own fs.write
    // through libuv's thread pool: ~50 µs of main-thread CPU per request in a profile of the
    // serving bench, plus the pool thread's (README, Measured). A process killed outright
    // (SIGKILL) can lose up to 100 ms of lines.
    options.destination ?? pino.destination({ fd: 2, sync: false, minLength: 4_096, periodicFlush: 100 }),
  );
}

/** The level from the environment (FEDREC_LOG_LEVEL), or `info`; an unknown level is the operator's error, reported at once. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = env.FEDREC_LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  const parsed = logLevelSchema.safeParse(raw.toLowerCase());
  if (!parsed.success) throw new Error(`FEDREC_LOG_LEVEL must be one of ${logLevels.join(', ')} (got "${raw}")`);
  return parsed.data;
}

let shared: Logger | undefined;

/**
 * The process's default log (stderr, FEDREC_LOG_LEVEL), for parts started without one of their
 * own; created on first use.
 */
export function processLogger(): Logger {
  return (shared ??= createLogger({ level: logLevelFromEnvOr('info') }));
}

/** logLevelFromEnv, but a bad value falls back instead of throwing (the command reports it). */
function logLevelFromEnvOr(fallback: LogLevel): LogLevel {
  try {
    return logLevelFromEnv();
  } catch {
    return fallback;
  }
}
