/**
 * The route table mounted on express 5, in the spirit of tRPC's express adapter: per route, the
 * API-key check (`authorize`, before any byte of the body is read), body-parser for its media type and limit,
 * zod over params, query and body together, the handler, and the response through JSON.stringify
 * (a serializer compiled from the response schema, fast-json-stringify, was slower on the explained
 * top-10: README, Measured). Failures go to one error handler that maps
 * body-parser's and the router's own errors onto the FedrecError bodies fedrec always answered.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { FedrecError, toFedrecError, type ErrorIssue } from '../errors/index.ts';
import { authorize, type Principal } from '../governance/index.ts';
import { routeAccess, type ApiServices, type MetricsAccess, type Route } from './route.ts';

export interface AdapterOptions {
  /** Largest body, in bytes (inflated), for routes that set none. */
  defaultBodyLimit: number;
  /** Who may read `/metrics` (the `openable` route): anyone, or the roles it declares. */
  metricsAccess: MetricsAccess;
}

/** Mounts every route of the table; returns `method path` of each, as registered. */
export function mountRoutes(app: Express, routes: readonly Route[], services: ApiServices, options: AdapterOptions): string[] {
  for (const r of routes) {
    const limit = r.bodyLimit ?? options.defaultBodyLimit;
    const access = routeAccess(r, options.metricsAccess);
    // The key is checked before body-parser reads a byte: an unauthenticated caller cannot make the
    // server inflate or buffer a body. express 5 forwards the rejected promise to the error handler.
    const authorized: RequestHandler = async (req, res, next) => {
      res.locals.principal = await authorize(access, req.headers.authorization, services);
      next();
    };
    // body-parser: gzip, deflate and br inflated, the limit on the inflated bytes, a declared
    // length over it refused before reading, an empty JSON body read as {}, JSON only as an object
    // or array (strict), and a body of another media type not read at all (zod then rejects it).
    const parseBody = r.body ? [r.bodyType === 'binary' ? express.raw({ type: 'application/octet-stream', limit }) : express.json({ type: 'application/json', limit })] : [];
    app[r.method](r.path, ...(access.public ? [] : [authorized]), ...parseBody, async (req: Request, res: Response) => {
      const result = await r.handle({ ...parseInput(r, req), principal: res.locals.principal as Principal | undefined }, services);
      if (r.responseType === 'binary') {
        const bytes = result as Uint8Array;
        sendBody(res, 200, 'application/octet-stream', Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } else if (r.responseType === 'text') {
        const { contentType, text } = result as { contentType: string; text: string };
        sendBody(res, 200, contentType, text);
      } else sendBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(result));
    });
  }
  return routes.map((r) => `${r.method} ${r.path}`);
}

/** Validates params, query and body together, so a caller sees every problem at once. */
function parseInput(r: Route, req: Request): { params: unknown; query: unknown; body: unknown; headers: unknown } {
  const issues: ErrorIssue[] = [];
  // Express 5 gives `req.params` and `req.query` null-prototype objects; zod reads them alike.
  // `req.query` is a getter that parses the query string; read only where a route takes a query.
  const input = {
    params: parsePart(issues, 'params', r.params, req.params),
    query: r.query && parsePart(issues, 'query', r.query, req.query),
    body: parsePart(issues, 'body', r.body, req.body),
    headers: parsePart(issues, 'headers', r.headers, req.headers),
  };
  if (issues.length) throw new FedrecError('invalid-input', `invalid request to ${r.method.toUpperCase()} ${r.path}`, issues);
  return input;
}

/**
 * One part of the input, its issues added to `issues`. A module function, not a closure per request:
 * under tsx (esbuild's keepNames) every named closure is created with an Object.defineProperty call,
 * ~0.3 µs each (a loop of 2 million: 310 against 6-18 ns), and this one was created on every request.
 */
function parsePart(issues: ErrorIssue[], where: 'params' | 'query' | 'body' | 'headers', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) issues.push({ path: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message, code: issue.code });
  return undefined;
}

/**
 * Head and body in one `end` (node writes them together), the length explicit so a HEAD request
 * (express answers it from the GET route, without the body) gets it too. Not `res.json`/`res.send`:
 * they copy the string into a Buffer and run ETag and freshness logic fedrec does not use.
 */
export function sendBody(res: Response, status: number, contentType: string, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.end(body);
}

export const notFound: RequestHandler = (req, _res, next) => next(new FedrecError('not-found', `no route ${req.method} ${req.path}`));

/**
 * body-parser's errors carry a `type` (https://github.com/expressjs/body-parser#errors); the
 * router's failed %-decoding of a param is a URIError with status 400. Each maps to the body fedrec
 * answered before express: 413 payload-too-large, else 400 invalid-input, including the 415s
 * body-parser gives for an unknown encoding or charset (fedrec's table has no 415, and a client
 * reads the reason from the message either way). Anything unknown is a bare 500, logged.
 */
export function errorHandler(routes: readonly Route[], onInternal: (error: unknown, req: Request) => void): ErrorRequestHandler {
  return (thrown, req, res, _next) => {
    const error = fromExpressError(thrown, () => malformedParam(routes, req.path));
    if (error.code === 'internal') onInternal(thrown, req);
    // A failure after the head went out, or a client gone mid-body: nothing can be answered.
    if (res.headersSent || req.readableAborted) {
      res.destroy();
      return;
    }
    if (error.code === 'unauthenticated') res.setHeader('www-authenticate', 'Bearer realm="fedrec"');
    sendBody(res, error.status, 'application/json; charset=utf-8', JSON.stringify(error.toJSON()));
  };
}

const bodyErrors: Record<string, () => FedrecError> = {
  'entity.too.large': () => new FedrecError('payload-too-large', 'request body is larger than this route accepts'),
  'entity.parse.failed': () => new FedrecError('invalid-input', 'request body is not valid JSON', [{ path: ['body'], message: 'malformed JSON' }]),
  'encoding.unsupported': () => new FedrecError('invalid-input', 'unsupported request body encoding; send identity, gzip, deflate or br'),
  'charset.unsupported': () => new FedrecError('invalid-input', 'unsupported request body charset; send UTF-8'),
  'request.size.invalid': () => new FedrecError('invalid-input', 'request body length does not match its Content-Length'),
  'request.aborted': () => new FedrecError('invalid-input', 'the client closed the request before its body arrived'),
  'parameters.too.many': () => new FedrecError('invalid-input', 'too many parameters'),
};

function fromExpressError(thrown: unknown, paramName: () => string | undefined): FedrecError {
  if (thrown instanceof FedrecError) return thrown;
  const { type, status } = (thrown ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type === 'string' && bodyErrors[type]) return bodyErrors[type]();
  if (thrown instanceof URIError && status === 400) {
    const name = paramName();
    return new FedrecError('invalid-input', 'the request path is not validly %-encoded', [{ path: name ? ['params', name] : ['params'], message: 'malformed %-encoding' }]);
  }
  // Any other 4xx body-parser raises (a corrupt gzip, deflate or br body: zlib's error wrapped in a
  // 400) is the client's; its message (zlib's, say) is not passed on.
  if (typeof status === 'number' && status >= 400 && status < 500) return new FedrecError('invalid-input', 'request body could not be read or decoded');
  return toFedrecError(thrown);
}

/**
 * Which `:param` of which route holds the malformed escape: the router's URIError does not say,
 * and fedrec's 400 always named it (`issues[0].path = ['params', 'itemId']`).
 */
function malformedParam(routes: readonly Route[], path: string): string | undefined {
  const parts = path.replace(/(.)\/$/, '$1').split('/');
  for (const r of routes) {
    const segments = r.path.split('/');
    if (segments.length !== parts.length || !segments.every((s, i) => s.startsWith(':') || s === parts[i])) continue;
    const index = segments.findIndex((s, i) => s.startsWith(':') && !decodes(parts[i]));
    if (index >= 0) return segments[index].slice(1);
  }
  return undefined;
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
