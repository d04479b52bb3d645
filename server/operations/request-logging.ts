/**
 * One JSON log line per request (pino-http), with a request id: the caller's `X-Request-Id` when
 * it is a short plain token, else a fresh UUID, echoed in the response either way so a client's
 * report can be matched to the line. What a line holds is fixed here: method, path (no query
 * string), route pattern, status and time. Never headers (Authorization, cookies), never the query
 * (a merchant's filters, or a token someone put there), never a body (histories and shopper data).
 *
 * Levels: 5xx `error`, 4xx `info`, a client that went away before its answer `debug` (one line,
 * "request aborted"; not an unexpected failure), other answers `info`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Logger } from './logger.ts';

const callerId = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The path without its query string, and without a shopper's id: `/v1/shoppers/<id>/…` is logged as
 * `/v1/shoppers/:shopperId/…` (the raw id is never written anywhere, issue 13), whatever route, or
 * none, the rest of the path matches.
 */
export function loggedPath(url: string): string {
  return url.split('?')[0].replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^(\/+v1\/+shoppers\/+)[^/]+/i, '$1:shopperId');
}

/**
 * The access lines skip pino's redaction: every field of theirs is built here (the serializers
 * below, and no error object: `customErrorObject`), so the redaction paths, which guard lines logged
 * anywhere else, can find nothing in them, and running them cost ~4 of the ~12.5 µs a logged request
 * takes (direct calls on node requests, 11 batches of 10,000: 12.5 → 8.5 µs; README, Measured).
 * `req.log` is therefore not for anything else: a failure is logged on the redacting logger with the
 * request's id (create-app.ts).
 * @example app.use(requestLogging(logger));
 */
export function requestLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger: logger.child({}, { redact: [] }),
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && callerId.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel: (req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (req.readableAborted || !res.writableEnded) return 'debug';
      return 'info';
    },
    // The serializers read node's own request and response (wrapSerializers off): pino-std-serializers'
    // wrapper first copies every header and the socket address into an object per request, which
    // these then drop (its cost: README, Measured).
    serializers: {
      req: (req: IncomingMessage & { id: unknown }) => ({ id: req.id, method: req.method, path: loggedPath(req.url ?? '') }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    // The error a 5xx carries is logged by the adapter, redacted, with its stack; the access line
    // holds none of it (only its own fields, as on any other line).
    customErrorObject: (_req, _res, _error, line: Record<string, unknown>) => ({ res: line.res, responseTime: line.responseTime }),
    wrapSerializers: false,
  });
}
